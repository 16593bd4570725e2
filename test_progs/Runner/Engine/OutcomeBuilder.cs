using BpfHarness;
using BpfTests.TestProgs.Output;
using BpfTests.TestProgs.Selection;
using NUnit.Framework.Interfaces;

namespace BpfTests.TestProgs.Engine;

/// <summary>
/// Turns what the harness recorded (<see cref="TestRun"/>) and NUnit's verdict into a test_progs
/// outcome. NUnit can know more than the harness: an exception thrown outside a subtest, a failed
/// OneTimeSetUp, Assert.Ignore at test level. Those become a test error (with NUnit's message and
/// stack appended to the test log) or a test-level skip (with <c>name:SKIP: reason</c>).
/// </summary>
public static class OutcomeBuilder
{
    /// <param name="late">Text that was not in the harness log (for verbose mode, which streamed the rest).</param>
    public static TestOutcome Build(RegisteredTest t, TestRun? run, ITestResult? nunit, out string late)
    {
        var subtests = run?.Subtests.Select(s => new SubtestOutcome(s.Name, s.Number, s.ErrorCount, s.Skipped, s.Filtered, s.Output)).ToList()
                       ?? [];
        int errors = run?.ErrorCount ?? 0;
        int skips = run?.SkipCount ?? 0;
        late = "";
        var status = nunit?.ResultState.Status;
        if (status == TestStatus.Failed && (errors == 0 || nunit!.ResultState.Label == "Error"))
        {
            late = Terminated(nunit!.Message ?? "failed") + (string.IsNullOrEmpty(nunit.StackTrace) ? "" : Terminated(nunit.StackTrace));
            errors = Math.Max(errors, 1);
        }
        else if (status is TestStatus.Skipped or TestStatus.Inconclusive && errors == 0 && skips == 0)
        {
            late = string.IsNullOrEmpty(nunit!.Message) ? "" : $"{t.Name}:SKIP: {Terminated(nunit.Message)}";
            skips = 1;
        }
        else if (nunit is null && run is null)
        {
            late = "test did not run\n";
            errors = 1;
        }
        int subSuccess = SuccessfulSubtests(subtests);
        return new TestOutcome(t.Name, t.Number, errors, skips, subSuccess, run?.SubtestCount ?? 0,
            (run?.TestOutput ?? "") + late, subtests, run?.ForceLog ?? false,
            t.Fixture, string.IsNullOrWhiteSpace(nunit?.Message) ? null : nunit.Message.Trim(), nunit?.Duration ?? 0);
    }

    /// <summary>
    /// The watchdog ended the test: like the crash handler, an error on the open subtest (ended) and on the test.
    /// </summary>
    public static TestOutcome Killed(TestOutcome o, string? openSubtest)
    {
        var subtests = o.Subtests.ToList();
        int errors = o.ErrorCount + 1;
        int i = openSubtest is null ? -1 : subtests.FindLastIndex(s => s.Name == openSubtest && !s.Filtered);
        if (i >= 0)
            subtests[i] = subtests[i] with { ErrorCount = subtests[i].ErrorCount + 1 };
        return o with { ErrorCount = errors, Subtests = subtests, SubtestSuccessCount = SuccessfulSubtests(subtests) };
    }

    private static int SuccessfulSubtests(IEnumerable<SubtestOutcome> subtests) =>
        subtests.Count(s => !s.Filtered && s.ErrorCount == 0 && !s.Skipped);

    private static string Terminated(string s) => s.EndsWith('\n') ? s : s + "\n";
}
