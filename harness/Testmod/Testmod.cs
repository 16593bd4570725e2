using BpfLoader.Diagnostics;
using BpfLoader.Interop;

namespace BpfHarness.Testmod;

/// <summary>
/// bpf_testmod's life cycle as test_progs does it (load_bpf_testmod/unload_bpf_testmod): load with finit_module,
/// unload as an RCU sync followed by delete_module retried on EAGAIN, with upstream's bounds and
/// its exact stdout messages. The module is built per kernel; vmtest passes its path in
/// <see cref="PathVariable"/>, otherwise "bpf_testmod.ko" in the current directory is used.
/// </summary>
public static class Testmod
{
    /// <summary>The module's name as /sys/module and delete_module know it.</summary>
    public const string ModuleName = "bpf_testmod";
    /// <summary>The module file the harness loads.</summary>
    public const string FileName = "bpf_testmod.ko";
    /// <summary>Set by vmtest in the guest: the module built for the running kernel.</summary>
    public const string PathVariable = "BPFTESTS_TESTMOD";
    /// <summary>test_progs' bound: 10000 retries, 100 µs apart (≈1 s, longer on a slow guest).</summary>
    public const int DefaultMaxRetries = 10000;
    /// <summary>How long to wait between unload attempts while the module is busy (as upstream's unload_module).</summary>
    public const uint RetryDelayMicroseconds = 100;

    /// <summary>True after a successful <see cref="Load"/> (test_progs' env.has_testmod).</summary>
    public static bool HasTestmod { get; private set; }

    /// <summary>Where the module file is: $BPFTESTS_TESTMOD, else bpf_testmod.ko in the current directory.</summary>
    public static string ModulePath =>
        Environment.GetEnvironmentVariable(PathVariable) is { Length: > 0 } p ? p : FileName;

    /// <summary>Whether the running kernel lists the module (it may have been loaded by someone else).</summary>
    public static bool IsLoaded => Directory.Exists($"/sys/module/{ModuleName}");

    /// <summary>
    /// load_bpf_testmod(verbose): 0 on success; -ENOENT when the file cannot be opened; -EINVAL
    /// when the kernel refuses it. Messages name the file as upstream does ("bpf_testmod.ko").
    /// </summary>
    public static int Load(bool verbose, TextWriter? stdout = null, string? path = null)
    {
        var o = stdout ?? Console.Out;
        path ??= ModulePath;
        var name = Path.GetFileName(path);
        if (verbose) o.Write($"Loading {name}...\n");
        var fd = Native.OpenOrErrno(path, Native.ORdonly);
        if (fd < 0)
        {
            o.Write($"Can't find {name} kernel module: {fd}\n");
            return -Errno.ENOENT;
        }
        try
        {
            var rc = Native.FinitModule(fd);
            if (rc < 0)
            {
                o.Write($"Failed to load {name} into the kernel: {rc}\n");
                return -Errno.EINVAL; // whatever the cause, as upstream
            }
        }
        finally { Native.Close(fd); }
        if (verbose) o.Write($"Successfully loaded {name}.\n");
        HasTestmod = true;
        return 0;
    }

    /// <summary>unload_bpf_testmod(verbose): 0 on success, -1 otherwise.</summary>
    public static int Unload(bool verbose, TextWriter? stdout = null) => Unload(verbose, out _, stdout);

    /// <summary>
    /// unload_module("bpf_testmod", verbose). <paramref name="retries"/> tells how often delete_module
    /// said EAGAIN (the module was still referenced, e.g. by a struct_ops map freed after RCU).
    /// <paramref name="maxRetries"/> exists for tests of the bound; callers keep upstream's default.
    /// </summary>
    public static int Unload(bool verbose, out int retries, TextWriter? stdout = null, int maxRetries = DefaultMaxRetries)
    {
        var o = stdout ?? Console.Out;
        retries = 0;
        if (Kernel.SyncRcu() < 0) o.Write(Kernel.SyncRcuFailedMessage);

        int rc;
        for (;;)
        {
            rc = Native.DeleteModule(ModuleName);
            if (rc != -Errno.EAGAIN) break;
            if (++retries > maxRetries)
            {
                o.Write($"Unload of {ModuleName} timed out\n");
                break;
            }
            Native.USleep(RetryDelayMicroseconds);
        }

        if (rc < 0)
        {
            if (rc == -Errno.ENOENT)
            {
                if (verbose) o.Write($"{ModuleName}.ko is already unloaded.\n");
                HasTestmod = false;
                return -1;
            }
            o.Write($"Failed to unload {ModuleName}.ko from kernel: {rc}\n");
            return -1;
        }
        if (verbose) o.Write($"Successfully unloaded {ModuleName}.ko.\n");
        HasTestmod = false;
        return 0;
    }
}
