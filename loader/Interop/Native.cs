using System.Runtime.InteropServices;
using System.Text;

namespace BpfLoader.Interop;

/// <summary>
/// The solution's one syscall/libc layer: every raw import of the loader, the harness and the tests is
/// here (the harness and the tests see it through InternalsVisibleTo; it is not public API).
/// bpf(2), perf_event_open(2), membarrier(2), finit_module(2) and delete_module(2) have no glibc
/// wrapper, so they go through syscall(2) with the number of the running architecture
/// (<see cref="SyscallNumbers"/>: x86-64 and arm64). Calls return what libc returns; the
/// <c>*OrErrno</c> forms return -errno instead of -1, read straight after the call.
/// </summary>
internal static unsafe partial class Native
{
    private const string Libc = "libc.so.6";

    public static long SysBpf => SyscallNumbers.Bpf;
    public static long SysPerfEventOpen => SyscallNumbers.PerfEventOpen;

    public const int OCloexec = 0x80000, ORdonly = 0, OWronly = 1, ORdwr = 2;
    public const int ProtRead = 1, ProtWrite = 2, MapShared = 1, MapPrivate = 2, MapFixed = 0x10, MapAnonymous = 0x20, MapNoReserve = 0x4000;
    public const uint MfdCloexec = 1, MfdNoexecSeal = 8;
    public const int EpollCtlAdd = 1;

    // glibc's syscall(2) is variadic, but on x86-64 and arm64 integer varargs travel in the same
    // registers as fixed arguments, so fixed prototypes are correct calls.
    [LibraryImport(Libc, EntryPoint = "syscall", SetLastError = true)]
    public static partial long Syscall(long number, long a1, long a2, long a3);

    [LibraryImport(Libc, EntryPoint = "syscall", SetLastError = true)]
    public static partial long Syscall(long number, long a1, long a2, long a3, long a4, long a5);

    /// <summary>syscall(2) returning the result, or -errno when it failed.</summary>
    public static long SyscallOrErrno(long number, long a1, long a2, long a3)
        => OrErrno(Syscall(number, a1, a2, a3));

    /// <summary>A libc result as result-or-(-errno): call it straight after the call, before anything can touch errno.</summary>
    public static long OrErrno(long rc) => rc < 0 ? -LastErrno : rc;

    [LibraryImport(Libc, EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport(Libc, EntryPoint = "dup3", SetLastError = true)]
    public static partial int Dup3(int oldFd, int newFd, int flags);

    [LibraryImport(Libc, EntryPoint = "fcntl", SetLastError = true)]
    public static partial int Fcntl(int fd, int cmd, int arg);

    [LibraryImport(Libc, EntryPoint = "memfd_create", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int MemfdCreate(string name, uint flags);

    [LibraryImport(Libc, EntryPoint = "mmap", SetLastError = true)]
    public static partial nint Mmap(nint addr, nuint length, int prot, int flags, int fd, long offset);

    [LibraryImport(Libc, EntryPoint = "munmap", SetLastError = true)]
    public static partial int Munmap(nint addr, nuint length);

    [LibraryImport(Libc, EntryPoint = "ioctl", SetLastError = true)]
    public static partial int Ioctl(int fd, ulong request, long arg);

    [LibraryImport(Libc, EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags, int mode);

    [LibraryImport(Libc, EntryPoint = "strerror")]
    private static partial nint StrErrorRaw(int errnum);

    /// <summary>C's strerror text for <paramref name="errno"/> (what a C program prints), or <c>errno N</c>.</summary>
    public static string StrError(int errno) => Marshal.PtrToStringUTF8(StrErrorRaw(errno)) ?? $"errno {errno}";

    [LibraryImport(Libc, EntryPoint = "read", SetLastError = true)]
    public static partial nint Read(int fd, byte* buffer, nint count);

    [LibraryImport(Libc, EntryPoint = "write", SetLastError = true)]
    public static partial nint Write(int fd, byte* buffer, nint count);

    [LibraryImport(Libc, EntryPoint = "epoll_create1", SetLastError = true)]
    public static partial int EpollCreate1(int flags);

    /// <summary>epoll_ctl(2); <paramref name="ev"/> points at the caller's struct epoll_event.</summary>
    [LibraryImport(Libc, EntryPoint = "epoll_ctl", SetLastError = true)]
    public static partial int EpollCtl(int epfd, int op, int fd, void* ev);

    /// <summary>epoll_wait(2); <paramref name="events"/> points at the caller's struct epoll_event array.</summary>
    [LibraryImport(Libc, EntryPoint = "epoll_wait", SetLastError = true)]
    public static partial int EpollWait(int epfd, void* events, int maxEvents, int timeoutMs);

    [LibraryImport(Libc, EntryPoint = "stat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int StatRaw(string path, byte* buffer);

    /// <summary>The inode number of <paramref name="path"/> (struct stat's st_ino, at offset 8 on x86-64 and arm64), or 0.</summary>
    public static ulong InodeOf(string path)
    {
        byte* buffer = stackalloc byte[256];
        return StatRaw(path, buffer) == 0 ? *(ulong*)(buffer + 8) : 0;
    }

    [LibraryImport(Libc, EntryPoint = "statfs", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int StatFsRaw(string path, byte* buffer);

    /// <summary>The file system magic of <paramref name="path"/> (struct statfs's f_type, the first field), or -errno.</summary>
    public static long FileSystemTypeOrErrno(string path)
    {
        byte* buffer = stackalloc byte[256];
        return StatFsRaw(path, buffer) == 0 ? *(long*)buffer : -LastErrno;
    }

    /// <summary>BPF_FS_MAGIC, the f_type of a bpf file system.</summary>
    public const long BpfFsMagic = 0xcafe4a11;

    [LibraryImport(Libc, EntryPoint = "mkdir", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int MkdirRaw(string path, uint mode);

    /// <summary>mkdir(2) of one level: 0 or -errno.</summary>
    public static int MkdirOrErrno(string path, uint mode) => (int)OrErrno(MkdirRaw(path, mode));

    [LibraryImport(Libc, EntryPoint = "getpagesize")]
    public static partial int GetPageSize();

    [LibraryImport(Libc, EntryPoint = "usleep")]
    public static partial int USleep(uint microseconds);

    [LibraryImport(Libc, EntryPoint = "gettid")]
    public static partial int GetTid();

    [LibraryImport(Libc, EntryPoint = "getppid")]
    public static partial int GetPpid();

    [LibraryImport(Libc, EntryPoint = "getpgid")]
    public static partial int GetPgid(int pid);

    public static int LastErrno => Marshal.GetLastPInvokeError();

    /// <summary>F_DUPFD_CLOEXEC: a new fd for the same open file, or throws.</summary>
    public static int DupCloexec(int fd)
    {
        int r = Fcntl(fd, 1030 /* F_DUPFD_CLOEXEC */, 0);
        return r >= 0 ? r : throw new Diagnostics.BpfSyscallException($"fcntl(F_DUPFD_CLOEXEC, {fd})", LastErrno);
    }

    /// <summary>open(path, flags | O_CLOEXEC): fd, or -errno.</summary>
    public static int OpenOrErrno(string path, int flags) => (int)OrErrno(Open(path, flags | OCloexec, 0));

    /// <summary>finit_module(fd, "", 0): 0 or -errno.</summary>
    public static int FinitModule(int fd)
    {
        byte empty = 0;
        return (int)SyscallOrErrno(SyscallNumbers.FinitModule, fd, (long)&empty, 0);
    }

    /// <summary>delete_module(name, 0) — no O_NONBLOCK, no force: 0 or -errno.</summary>
    public static int DeleteModule(string name)
    {
        var bytes = Encoding.ASCII.GetBytes(name + "\0");
        fixed (byte* p = bytes)
            return (int)SyscallOrErrno(SyscallNumbers.DeleteModule, (long)p, 0, 0);
    }

    /// <summary>membarrier(MEMBARRIER_CMD_SHARED, 0, 0), which makes the kernel run synchronize_rcu(): 0 or -errno.</summary>
    public static int MembarrierShared() => (int)SyscallOrErrno(SyscallNumbers.Membarrier, 1 /* MEMBARRIER_CMD_SHARED */, 0, 0);
}

/// <summary>
/// The syscall numbers of the calls glibc has no wrapper for, on the running architecture: x86-64's own
/// table, arm64's the asm-generic one.
/// </summary>
internal static class SyscallNumbers
{
    private static readonly bool IsArm64 = RuntimeInformation.ProcessArchitecture == Architecture.Arm64;

    public static long Bpf => IsArm64 ? 280 : 321;
    public static long PerfEventOpen => IsArm64 ? 241 : 298;
    public static long Membarrier => IsArm64 ? 283 : 324;
    public static long FinitModule => IsArm64 ? 273 : 313;
    public static long DeleteModule => IsArm64 ? 106 : 176;
}
