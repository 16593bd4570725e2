using BpfLoader.Interop;
using Microsoft.Win32.SafeHandles;

namespace BpfTests.TestProgs.Engine;

/// <summary>fopen(path, "w") with C's errno and strerror text, for the -J file's exact error message.</summary>
internal static class NativeFile
{
    private const int OCreat = 0x40, OTrunc = 0x200;

    /// <summary>A writable stream on a new or truncated file, or null with the errno.</summary>
    public static FileStream? CreateForWriting(string path, out int errno)
    {
        int fd = Native.Open(path, Native.OWronly | OCreat | OTrunc | Native.OCloexec, Convert.ToInt32("666", 8));
        errno = fd < 0 ? Native.LastErrno : 0;
        return fd < 0 ? null : new FileStream(new SafeFileHandle(fd, ownsHandle: true), FileAccess.Write);
    }

    public static string Describe(int errno) => Native.StrError(errno);
}
