using System.Text;
using BpfLoader.Interop;
using BpfLoader.Kernel;

namespace BpfTests.Btf;

/// <summary>BPF_BTF_LOAD of writer output, so that it is checked by the kernel's own BTF verifier.</summary>
internal static class KernelBtfLoad
{
    /// <summary>Loads <paramref name="btf"/>; returns null on success, else "errno: verifier log".</summary>
    public static string? TryLoad(byte[] btf)
    {
        var log = new byte[1 << 20];
        int fd = BpfSyscall.TryBtfLoad(btf, log, logLevel: 1);
        if (fd >= 0)
        {
            Native.Close(fd);
            return null;
        }
        int n = Array.IndexOf(log, (byte)0);
        return $"errno {-fd}: {Encoding.UTF8.GetString(log, 0, n < 0 ? log.Length : n)}";
    }
}
