using BpfLoader.Interop;

namespace BpfTests.Testmod;

/// <summary>Raw read/write of /sys/kernel/bpf_testmod, returning 0/bytes or -errno (the .NET file API would hide errno).</summary>
internal static class TriggerFile
{
    private const string Path = "/sys/kernel/bpf_testmod";

    public static unsafe int Read() => With(Native.ORdonly, fd => { var b = stackalloc byte[64]; return Native.Read(fd, b, 64); });
    public static unsafe int Write() => With(Native.OWronly, fd => { var b = stackalloc byte[1] { (byte)'1' }; return Native.Write(fd, b, 1); });

    private static int With(int flags, Func<int, nint> io)
    {
        var fd = Native.OpenOrErrno(Path, flags);
        if (fd < 0) return fd;
        try
        {
            return (int)Native.OrErrno(io(fd));
        }
        finally { Native.Close(fd); }
    }
}
