using System.Runtime.InteropServices;

namespace BpfHarness.Native;

/// <summary>
/// The few raw system calls the harness itself needs. Deliberately independent of the loader so the
/// harness works with whatever code creates BPF fds (and keeps working while the loader changes).
/// </summary>
internal static partial class Libc
{
    // glibc's syscall(2) is variadic, but on x86-64 and arm64 integer varargs travel in the same
    // registers as fixed arguments, so a fixed four-argument prototype is a correct call.
    [LibraryImport("libc.so.6", EntryPoint = "syscall", SetLastError = true)]
    internal static partial long Syscall(long number, long a1, long a2, long a3);

    internal static bool IsX64 => RuntimeInformation.ProcessArchitecture == Architecture.X64;

    /// <summary>__NR_membarrier: 324 on x86-64, 283 on arm64 (asm-generic table).</summary>
    internal static long NrMembarrier => IsX64 ? 324 : 283;

    /// <summary>__NR_bpf: 321 on x86-64, 280 on arm64.</summary>
    internal static long NrBpf => IsX64 ? 321 : 280;

    /// <summary>Returns the syscall's result, or -errno when it failed.</summary>
    internal static long SyscallOrErrno(long number, long a1, long a2, long a3)
    {
        long rc = Syscall(number, a1, a2, a3);
        return rc < 0 ? -Marshal.GetLastPInvokeError() : rc;
    }
}
