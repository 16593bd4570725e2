using System.Runtime.InteropServices;

namespace BpfHarness.Testmod;

/// <summary>
/// The raw calls behind module load/unload (x86-64 numbers; test_progs uses the same syscalls).
/// Own P/Invokes on purpose: errno must come straight from the call, with no .NET file API between.
/// </summary>
internal static partial class TestmodSyscalls
{
    public const int EAGAIN = 11, ENOENT = 2, EIO = 5;
    private const long NrFinitModule = 313, NrDeleteModule = 176, NrMembarrier = 324;
    private const int O_RDONLY = 0, O_CLOEXEC = 0x80000;
    private const int MEMBARRIER_CMD_SHARED = 1;

    [LibraryImport("libc.so.6", EntryPoint = "syscall", SetLastError = true)]
    private static partial long Syscall(long number, long a1, long a2, long a3);

    [LibraryImport("libc.so.6", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc.so.6", EntryPoint = "close")]
    public static partial int Close(int fd);

    [LibraryImport("libc.so.6", EntryPoint = "usleep")]
    public static partial int USleep(uint usec);

    /// <summary>fd, or -errno.</summary>
    public static int OpenReadOnly(string path)
    {
        var fd = Open(path, O_RDONLY | O_CLOEXEC);
        return fd < 0 ? -Marshal.GetLastPInvokeError() : fd;
    }

    /// <summary>finit_module(fd, "", 0): 0 or -errno.</summary>
    public static unsafe int FinitModule(int fd)
    {
        byte empty = 0;
        return Result(Syscall(NrFinitModule, fd, (long)&empty, 0));
    }

    /// <summary>delete_module(name, 0) — no O_NONBLOCK, no force: 0 or -errno.</summary>
    public static unsafe int DeleteModule(string name)
    {
        var bytes = System.Text.Encoding.ASCII.GetBytes(name + "\0");
        fixed (byte* p = bytes) return Result(Syscall(NrDeleteModule, (long)p, 0, 0));
    }

    /// <summary>kern_sync_rcu(): membarrier(MEMBARRIER_CMD_SHARED, 0, 0) makes the kernel run synchronize_rcu().</summary>
    public static int SyncRcu() => Result(Syscall(NrMembarrier, MEMBARRIER_CMD_SHARED, 0, 0));

    private static int Result(long rc) => rc < 0 ? -Marshal.GetLastPInvokeError() : (int)rc;
}
