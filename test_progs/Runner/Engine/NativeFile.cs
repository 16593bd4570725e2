using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace BpfTests.TestProgs.Engine;

/// <summary>fopen(path, "w") with C's errno and strerror text, for the -J file's exact error message.</summary>
internal static partial class NativeFile
{
    private const int O_WRONLY = 1, O_CREAT = 0x40, O_TRUNC = 0x200, O_CLOEXEC = 0x80000;

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "strerror")]
    private static partial IntPtr StrError(int errnum);

    /// <summary>A writable stream on a new or truncated file, or null with the errno.</summary>
    public static FileStream? CreateForWriting(string path, out int errno)
    {
        int fd = Open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, Convert.ToInt32("666", 8));
        errno = fd < 0 ? Marshal.GetLastPInvokeError() : 0;
        return fd < 0 ? null : new FileStream(new SafeFileHandle(fd, ownsHandle: true), FileAccess.Write);
    }

    public static string Describe(int errno) => Marshal.PtrToStringUTF8(StrError(errno)) ?? $"errno {errno}";
}
