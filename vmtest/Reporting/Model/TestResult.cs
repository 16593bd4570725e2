namespace BpfTests.Reporting.Model;

/// <summary>One test's outcome in one column. NotRun: the test exists in another column only.</summary>
public enum Outcome { Passed, Failed, Skipped, NotRun }

/// <summary>A harness subtest (the <c>#N/M test/sub:RESULT</c> lines) with the output that preceded its line.</summary>
public sealed record SubtestResult(string Name, Outcome Outcome, string Log);

/// <summary>
/// One test's result in one column, independent of the file format it came from.
/// <see cref="Log"/> is everything the test wrote (test_progs-style lines, captured libbpf log,
/// verifier logs); <see cref="Message"/> is the runner's failure or skip message.
/// </summary>
public sealed record TestResult(
    string Fixture, string Name, Outcome Outcome, TimeSpan Duration,
    string Log, string? Message, string? StackTrace, IReadOnlyList<SubtestResult> Subtests)
{
    /// <summary>The identity across columns and runs: fixture and test name.</summary>
    public string Key => Fixture.Length == 0 ? Name : Fixture + "." + Name;

    public string? SkipReason => Outcome == Outcome.Skipped ? Message : null;
}

/// <summary>
/// What is known about one column's run besides the tests: the host suite or one vmtest kernel.
/// Fields a source does not know stay null (the report prints "?").
/// </summary>
public sealed record ColumnInfo(string Name)
{
    public string? Release { get; init; }
    /// <summary>The runner's verdict (vmtest: every signal agreed); null when no verdict was recorded.</summary>
    public bool? Passed { get; init; }
    public IReadOnlyList<string> Problems { get; init; } = [];
    public TimeSpan? Wall { get; init; }
    /// <summary>Guest uptime when init started and when the test command started (vmtest only).</summary>
    public double? InitUptime { get; init; }
    public double? CommandUptime { get; init; }
    public DateTimeOffset? Started { get; init; }
    public DateTimeOffset? Finished { get; init; }
    public string? Filter { get; init; }
}

/// <summary>One column: its run facts and its tests.</summary>
public sealed record ColumnResults(ColumnInfo Info, IReadOnlyList<TestResult> Tests);
