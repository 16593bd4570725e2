using System.Runtime.CompilerServices;
using System.Text;
using BpfLoader.Diagnostics;

namespace BpfHarness;

/// <summary>
/// start/stop_libbpf_log_capture (test_progs v6.9+): one process-wide capture of libbpf's WARN and
/// INFO messages (never DEBUG), for tests that check what libbpf said. Captured text still reaches the
/// test log too. The harness discards a capture a test left running when the test ends.
/// </summary>
public static class LogCapture
{
    private static readonly Lock Gate = new();
    private static StringBuilder? _stream; // libbpf_capture_stream; null when no capture is active

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
            if (_stream is null)
            {
                _stream = new StringBuilder();
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
            var s = _stream;
            _stream = null;
            return s?.ToString();
        }
    }

    /// <summary>True while a capture is active.</summary>
    public static bool IsActive { get { lock (Gate) return _stream is not null; } }

    /// <summary>What the runner does after each test: stop any capture still running and drop its text.</summary>
    internal static void Discard() => Stop();

    /// <summary>Called by the print hook; DEBUG is never captured.</summary>
    internal static void Append(LogLevel level, string text)
    {
        if (level == LogLevel.Debug)
            return;
        lock (Gate)
            _stream?.Append(text);
    }
}
