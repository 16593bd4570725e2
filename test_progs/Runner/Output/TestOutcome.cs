namespace BpfTests.TestProgs.Output;

/// <summary>One subtest as the runner reports it (struct subtest_state after the test).</summary>
public sealed record SubtestOutcome(string Name, int Number, int ErrorCount, bool Skipped, bool Filtered, string Log)
{
    public bool Failed => ErrorCount > 0;
    public string Result => ErrorCount > 0 ? "FAIL" : Skipped ? "SKIP" : "OK";
}

/// <summary>
/// One finished test (struct test_state): counters as test_progs keeps them (§5.4), the test-level
/// log (text written outside subtests) and every subtest, filtered ones included. The same record
/// travels from a worker process to the main process. <see cref="Fixture"/>, <see cref="Message"/> and
/// <see cref="Seconds"/> are not test_progs' (no upstream output uses them): they feed the per-test
/// part of the JSON summary (<see cref="JsonSummary"/>'s <c>tests</c>) that the report reads.
/// </summary>
/// <param name="Fixture">The NUnit fixture (class full name) the test belongs to.</param>
/// <param name="Message">NUnit's failure or skip message, if any.</param>
/// <param name="Seconds">How long the test ran.</param>
public sealed record TestOutcome(
    string Name,
    int Number,
    int ErrorCount,
    int SkipCount,
    int SubtestSuccessCount,
    int SubtestCount,
    string Log,
    IReadOnlyList<SubtestOutcome> Subtests,
    bool ForceLog = false,
    string Fixture = "",
    string? Message = null,
    double Seconds = 0)
{
    public bool Failed => ErrorCount > 0;

    /// <summary>FAIL, OK, SKIP or <c>OK (SKIP: x/y)</c> (§5.3).</summary>
    public string Result => BpfHarness.ResultLines.TestResult(ErrorCount, SkipCount, SubtestCount);
}
