namespace BpfHarness.Gates;

/// <summary>
/// Features the harness can probe without loading BPF programs. Probes that need the loader (helper
/// or map-type support) belong to the loader's feature probes; gate on them with
/// <see cref="Gate.RequireFeature(bool, string, string, string)"/>.
/// </summary>
public enum KernelFeature
{
    /// <summary>/sys/kernel/btf/vmlinux exists (CONFIG_DEBUG_INFO_BTF).</summary>
    VmlinuxBtf,
    /// <summary>bpf_testmod.ko is loaded (/sys/module/bpf_testmod).</summary>
    BpfTestmod,
    /// <summary>bpffs is mounted at /sys/fs/bpf.</summary>
    BpfFs,
    /// <summary>The process runs as root (BPF tests need CAP_BPF, CAP_PERFMON, CAP_SYS_ADMIN...).</summary>
    Root,
}

internal static class KernelFeatureProbe
{
    internal static string Describe(KernelFeature f) => f switch
    {
        KernelFeature.VmlinuxBtf => "vmlinux BTF (/sys/kernel/btf/vmlinux)",
        KernelFeature.BpfTestmod => "bpf_testmod.ko loaded",
        KernelFeature.BpfFs => "bpffs mounted at /sys/fs/bpf",
        KernelFeature.Root => "root privileges",
        _ => f.ToString(),
    };

    internal static bool IsAvailable(KernelFeature f) => f switch
    {
        KernelFeature.VmlinuxBtf => File.Exists("/sys/kernel/btf/vmlinux"),
        KernelFeature.BpfTestmod => Directory.Exists("/sys/module/bpf_testmod"),
        KernelFeature.BpfFs => File.ReadLines("/proc/mounts").Any(l => l.Split(' ') is [_, "/sys/fs/bpf", "bpf", ..]),
        KernelFeature.Root => Environment.IsPrivilegedProcess,
        _ => false,
    };
}
