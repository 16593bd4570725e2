using BpfLoader.Interop;

namespace BpfHarness;

/// <summary>Facts about, and small requests to, the running kernel.</summary>
public static class Kernel
{
    /// <summary>What test_progs prints (stdout) when the RCU sync before a module unload fails.</summary>
    public const string SyncRcuFailedMessage = "Failed to trigger kernel-side RCU sync!\n";

    /// <summary>
    /// kern_sync_rcu(): membarrier(MEMBARRIER_CMD_SHARED, 0, 0), which makes the kernel run
    /// synchronize_rcu(). Used before unloading bpf_testmod because struct_ops maps, links and module
    /// BTF drop their module references only after a grace period. Returns 0, or -errno on failure
    /// (the caller prints <see cref="SyncRcuFailedMessage"/> and carries on, as upstream does).
    /// </summary>
    public static int SyncRcu() => Native.MembarrierShared();

    /// <summary>uname -r, read from /proc (same string as uname(2)'s release).</summary>
    public static string Release => _release.Value;

    /// <summary>The running kernel's version, parsed from <see cref="Release"/>.</summary>
    public static KernelVersion Version => _version.Value;

    private static readonly Lazy<string> _release = new(() => File.ReadAllText("/proc/sys/kernel/osrelease").Trim());
    private static readonly Lazy<KernelVersion> _version = new(() => KernelVersion.Parse(Release));
}
