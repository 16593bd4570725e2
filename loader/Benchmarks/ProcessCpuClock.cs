using System.Runtime.InteropServices;
using Perfolizer.Horology;

namespace BpfLoader.Benchmarks;

/// <summary>
/// A BenchmarkDotNet clock reading the process's CPU time (<c>CLOCK_PROCESS_CPUTIME_ID</c>: user + system time
/// of all its threads, GC included) instead of wall time. On a machine shared with other jobs wall time mostly
/// measures the scheduler; CPU time of a single-threaded, in-memory benchmark does not (caches still do).
/// Selected with <c>--cpu-clock</c> (see <see cref="Program"/>).
/// </summary>
internal sealed partial class ProcessCpuClock : IClock
{
    private const int ClockProcessCpuTimeId = 2;

    public static readonly ProcessCpuClock Instance = new();

    public string Title => "process CPU time";

    public bool IsAvailable => OperatingSystem.IsLinux();

    public Frequency Frequency => Frequency.GHz;

    public long GetTimestamp()
    {
        if (ClockGetTime(ClockProcessCpuTimeId, out var ts) != 0)
            throw new InvalidOperationException($"clock_gettime(CLOCK_PROCESS_CPUTIME_ID) failed: errno {Marshal.GetLastPInvokeError()}");
        return ts.Seconds * 1_000_000_000L + ts.Nanoseconds;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime", SetLastError = true)]
    private static partial int ClockGetTime(int clockId, out TimeSpec ts);
}
