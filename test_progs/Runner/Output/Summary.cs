namespace BpfTests.TestProgs.Output;

/// <summary>
/// The run's counters (calculate_summary_and_print_errors, §5.4) and the exit code (§5.6).
/// </summary>
public sealed record Summary(int Success, int SubtestSuccess, int Skipped, int Failed)
{
    public const int ExitNoTest = 2;
    public const int ExitSetupInfra = 3;

    /// <summary>Over all tested tests: passed = no errors (fully skipped ones too), Σ sub-successes, Σ skips, failed.</summary>
    public static Summary Of(IEnumerable<TestOutcome> tested)
    {
        int succ = 0, sub = 0, skip = 0, fail = 0;
        foreach (var t in tested)
        {
            sub += t.SubtestSuccessCount;
            skip += t.SkipCount;
            if (t.Failed)
                fail++;
            else
                succ++;
        }
        return new Summary(succ, sub, skip, fail);
    }

    public string Line => $"Summary: {Success}/{SubtestSuccess} PASSED, {Skipped} SKIPPED, {Failed} FAILED\n";

    /// <summary>1 with a failure; 2 when nothing counted; else 0.</summary>
    public int ExitCode => Failed > 0 ? 1 : Success + Failed + Skipped == 0 ? ExitNoTest : 0;

    /// <summary>-l/-c: the selected count is stored as succ_cnt; no summary is printed.</summary>
    public static int ListingExitCode(int selected) => selected == 0 ? ExitNoTest : 0;
}
