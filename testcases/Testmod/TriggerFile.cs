using System.Runtime.InteropServices;

namespace BpfTests.Testmod;

/// <summary>Raw read/write of /sys/kernel/bpf_testmod, returning 0/bytes or -errno (the .NET file API would hide errno).</summary>
internal static partial class TriggerFile
{
    private const string Path = "/sys/kernel/bpf_testmod";

    [LibraryImport("libc.so.6", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);
    [LibraryImport("libc.so.6", EntryPoint = "read", SetLastError = true)]
    private static unsafe partial nint ReadRaw(int fd, byte* buf, nint count);
    [LibraryImport("libc.so.6", EntryPoint = "write", SetLastError = true)]
    private static unsafe partial nint WriteRaw(int fd, byte* buf, nint count);
    [LibraryImport("libc.so.6", EntryPoint = "close")]
    private static partial int Close(int fd);

    public static unsafe int Read() => With(0 /* O_RDONLY */, fd => { var b = stackalloc byte[64]; return ReadRaw(fd, b, 64); });
    public static unsafe int Write() => With(1 /* O_WRONLY */, fd => { var b = stackalloc byte[1] { (byte)'1' }; return WriteRaw(fd, b, 1); });

    private static int With(int flags, Func<int, nint> io)
    {
        var fd = Open(Path, flags);
        if (fd < 0) return -Marshal.GetLastPInvokeError();
        try
        {
            var n = io(fd);
            return n < 0 ? -Marshal.GetLastPInvokeError() : (int)n;
        }
        finally { Close(fd); }
    }
}
