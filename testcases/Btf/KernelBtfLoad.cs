using System.Runtime.InteropServices;
using System.Text;

namespace BpfTests.Btf;

/// <summary>
/// Test-only BPF_BTF_LOAD so that writer output is checked by the kernel's own BTF verifier.
/// (The product's syscall layer is not part of the BTF layer; this helper stays in the tests.)
/// </summary>
internal static unsafe partial class KernelBtfLoad
{
    private const int SysBpf = 321;      // x86-64
    private const int BpfBtfLoad = 18;

    [StructLayout(LayoutKind.Sequential)]
    private struct BtfLoadAttr
    {
        public ulong Btf;
        public ulong LogBuf;
        public uint BtfSize;
        public uint LogSize;
        public uint LogLevel;
        public uint LogTrueSize;
        public uint Flags;
        public int TokenFd;
    }

    /// <summary>Loads <paramref name="btf"/>; returns null on success, else "errno: verifier log".</summary>
    public static string? TryLoad(byte[] btf)
    {
        var log = new byte[1 << 20];
        fixed (byte* data = btf)
        fixed (byte* logBuf = log)
        {
            var attr = new BtfLoadAttr
            {
                Btf = (ulong)data,
                BtfSize = (uint)btf.Length,
                LogBuf = (ulong)logBuf,
                LogSize = (uint)log.Length,
                LogLevel = 1,
            };
            long fd = syscall(SysBpf, BpfBtfLoad, &attr, (uint)sizeof(BtfLoadAttr));
            if (fd >= 0)
            {
                close((int)fd);
                return null;
            }
            int errno = Marshal.GetLastPInvokeError();
            int n = Array.IndexOf(log, (byte)0);
            return $"errno {errno}: {Encoding.UTF8.GetString(log, 0, n < 0 ? log.Length : n)}";
        }
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial long syscall(long number, int cmd, void* attr, uint size);

    [LibraryImport("libc")]
    private static partial int close(int fd);
}
