using System.Runtime.InteropServices;

namespace BpfTests;

/// <summary>The libc calls tests use to trigger their programs (getpgid → sys_enter, fentry on __x64_sys_getpgid) and to identify themselves.</summary>
internal static partial class Libc
{
    [LibraryImport("libc")]
    public static partial int gettid();

    [LibraryImport("libc")]
    public static partial int getppid();

    [LibraryImport("libc")]
    public static partial int getpgid(int pid);
}
