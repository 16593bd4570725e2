using System.Runtime.CompilerServices;
using System.Text;
using BpfLoader.Diagnostics;

namespace BpfHarness;

/// <summary>
/// start/stop_libbpf_log_capture (test_progs v6.9+): a capture of libbpf's WARN and INFO messages (never
/// DEBUG), for tests that check what libbpf said. Captured text still reaches the test log too. The harness
/// discards a capture a test left running when the test ends. test_progs has one capture per process (it
/// runs one test at a time); here there is one per test (<see cref="TestRun.Current"/>, which flows with the
/// async context), so tests running in parallel never see each other's messages. Outside any test there is
/// one shared capture.
/// </summary>
public static class LogCapture
{
    private static readonly Lock Gate = new();
    // libbpf_capture_stream per test run; the entry is removed when the capture stops.
    private static readonly ConditionalWeakTable<object, StringBuilder> Streams = new();
    private static readonly object OutsideAnyTest = new();

    private static object Owner => (object?)TestRun.Current ?? OutsideAnyTest;

    /// <summary>
    /// Starts capturing. If a capture is already active the current test fails with
    /// <c>start_libbpf_log_capture:FAIL:&lt;line&gt; start_libbpf_log_capture: libbpf_capture_stream != NULL</c>
    /// (line = the caller's) and -EINVAL (-22) is returned; otherwise 0.
    /// </summary>
    public static int Start([CallerLineNumber] int line = 0)
    {
        LibbpfRouting.EnsureInstalled(); // a capture without the hook would silently stay empty
        lock (Gate)
        {
            if (!Streams.TryGetValue(Owner, out _))
            {
                Streams.Add(Owner, new StringBuilder());
                return 0;
            }
        }
        TP.PRINT_FAIL("start_libbpf_log_capture: libbpf_capture_stream != NULL\n", "start_libbpf_log_capture", line);
        return -Errno.EINVAL;
    }

    /// <summary>Ends the capture and returns its text ("" if nothing was captured), or null if none was active.</summary>
    public static string? Stop()
    {
        lock (Gate)
        {
            var owner = Owner;
            if (!Streams.TryGetValue(owner, out var s))
                return null;
            Streams.Remove(owner);
            return s.ToString();
        }
    }

    /// <summary>True while a capture is active.</summary>
    public static bool IsActive { get { lock (Gate) return Streams.TryGetValue(Owner, out _); } }

    /// <summary>What the runner does after each test: stop any capture still running and drop its text.</summary>
    internal static void Discard() => Stop();

    /// <summary>Called by the print hook; DEBUG is never captured.</summary>
    internal static void Append(LogLevel level, string text)
    {
        if (level == LogLevel.Debug)
            return;
        lock (Gate)
        {
            if (Streams.TryGetValue(Owner, out var s))
                s.Append(text);
        }
    }
}
