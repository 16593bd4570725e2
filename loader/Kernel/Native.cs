using System.Runtime.InteropServices;

namespace BpfLoader.Kernel;

/// <summary>
/// The libc entry points the loader calls. bpf(2), perf_event_open(2) and friends have no glibc wrapper,
/// so they go through syscall(2) with their x86-64 numbers.
/// </summary>
internal static unsafe partial class Native
{
    public const long SysBpf = 321, SysPerfEventOpen = 298, SysMembarrier = 324, SysFinitModule = 313, SysDeleteModule = 176;

    public const int OCloexec = 0x80000, ORdonly = 0, OWronly = 1, ORdwr = 2;
    public const int ProtRead = 1, ProtWrite = 2, MapShared = 1, MapPrivate = 2, MapFixed = 0x10, MapAnonymous = 0x20;
    public const uint MfdCloexec = 1, MfdNoexecSeal = 8;

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    public static partial long Syscall(long number, long a1, long a2, long a3);

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    public static partial long Syscall(long number, long a1, long a2, long a3, long a4, long a5);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "dup3", SetLastError = true)]
    public static partial int Dup3(int oldFd, int newFd, int flags);

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    public static partial int Fcntl(int fd, int cmd, int arg);

    [LibraryImport("libc", EntryPoint = "memfd_create", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int MemfdCreate(string name, uint flags);

    [LibraryImport("libc", EntryPoint = "mmap", SetLastError = true)]
    public static partial nint Mmap(nint addr, nuint length, int prot, int flags, int fd, long offset);

    [LibraryImport("libc", EntryPoint = "munmap", SetLastError = true)]
    public static partial int Munmap(nint addr, nuint length);

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    public static partial int Ioctl(int fd, ulong request, long arg);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "stat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int StatRaw(string path, byte* buffer);

    /// <summary>The inode number of <paramref name="path"/> (struct stat's st_ino, x86-64 layout), or 0.</summary>
    public static ulong InodeOf(string path)
    {
        byte* buffer = stackalloc byte[256];
        return StatRaw(path, buffer) == 0 ? *(ulong*)(buffer + 8) : 0;
    }

    [LibraryImport("libc", EntryPoint = "getpagesize")]
    public static partial int GetPageSize();

    public static int LastErrno => Marshal.GetLastPInvokeError();

    /// <summary>F_DUPFD_CLOEXEC: a new fd for the same open file, or throws.</summary>
    public static int DupCloexec(int fd)
    {
        int r = Fcntl(fd, 1030 /* F_DUPFD_CLOEXEC */, 0);
        return r >= 0 ? r : throw new Diagnostics.BpfSyscallException($"fcntl(F_DUPFD_CLOEXEC, {fd})", LastErrno);
    }
}
