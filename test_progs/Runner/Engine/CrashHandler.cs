using BpfTests.TestProgs.Output;

namespace BpfTests.TestProgs.Engine;

/// <summary>
/// test_progs' crash handler (test_progs.md §11) for what ends a .NET process: an exception no code
/// catches (thrown on a thread a test started, where NUnit cannot see it). One-shot, like upstream's
/// SA_RESETHAND: it marks the running test failed, prints its log as the error-summary pass does
/// (failed subtests only) on the saved stdout, then on the saved stderr <c>[id]: </c> (workers only),
/// <c>Caught signal #6!</c>, <c>Stack trace:</c> and the exception with its managed stack. Then the
/// runtime ends the process the way it ends any process with an unhandled exception: abort(), i.e.
/// SIGABRT (6, hence the number; upstream only hooks SIGSEGV, #11), exit status 134 — no summary, the
/// -J file stays empty. A worker's dump reaches the main process as the worker's stray output, and the
/// main process fails the test (<c>worker N exited unexpectedly</c>) and goes on.
/// Watchdog kills are not crashes here: <see cref="NUnitDriver"/> prints the same block and goes on.
/// </summary>
public static class CrashHandler
{
    public const int AbortSignal = 6;

    public static void Install(Func<TestOutcome?> running, bool verbose, TextWriter stdout, TextWriter stderr, string? workerPrefix)
    {
        int fired = 0;
        AppDomain.CurrentDomain.UnhandledException += (_, e) =>
        {
            if (Interlocked.Exchange(ref fired, 1) != 0)
                return;
            if (running() is { } test)
                stdout.Write(LogDump.Render(test, verbose, parallelResult: false, errorSummary: true));
            stdout.Flush();
            stderr.Write(Block(workerPrefix, e.ExceptionObject));
            stderr.Flush();
        };
    }

    /// <summary>The stderr part: <c>[id]: Caught signal #6!\nStack trace:\n</c> and the exception.</summary>
    public static string Block(string? workerPrefix, object exception)
    {
        var text = exception.ToString() ?? "";
        return $"{workerPrefix}Caught signal #{AbortSignal}!\nStack trace:\n{text}{(text.EndsWith('\n') ? "" : "\n")}";
    }
}
