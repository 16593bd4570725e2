using BpfLoader.Diagnostics;

namespace BpfHarness;

/// <summary>
/// test_progs' libbpf_print_fn: the print hook the harness installs into <see cref="LibbpfLog"/>.
/// 1. WARN/INFO go to an active <see cref="LogCapture"/>;
/// 2. DEBUG is dropped unless verbosity is at least -vv (<c>BPFTESTS_VERBOSE=vv</c>);
/// 3. everything else goes to the running test's log, i.e. into its NUnit output, from whatever thread
///    libbpf-side code runs on (see <see cref="TestRun.Current"/>). Outside a test: stdout.
/// </summary>
public static class LibbpfRouting
{
    private static int _installed;

    /// <summary>Installs the hook once per process; later calls do nothing.</summary>
    public static void EnsureInstalled()
    {
        if (Interlocked.Exchange(ref _installed, 1) == 0)
            LibbpfLog.SetPrint(Print);
    }

    /// <summary>The hook itself; public so a runner can chain or re-install it.</summary>
    public static void Print(LogLevel level, string text)
    {
        LogCapture.Append(level, text);
        if (level == LogLevel.Debug && HarnessSettings.Verbosity < Verbosity.Very)
            return;
        if (TestRun.Current is { } run)
            run.Write(text);
        else
            Console.Out.Write(text);
    }
}
