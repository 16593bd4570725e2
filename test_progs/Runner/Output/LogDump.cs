using System.Text;
using BpfHarness;

namespace BpfTests.TestProgs.Output;

/// <summary>
/// dump_test_log (test_progs.md §5.2): what the main process prints after a test, as text.
/// </summary>
public static class LogDump
{
    /// <param name="verbose">-v given.</param>
    /// <param name="parallelResult">the outcome came from a worker (logs printed even when verbose).</param>
    /// <param name="errorSummary">the "All error logs" pass: only failed subtests.</param>
    public static string Render(TestOutcome t, bool verbose, bool parallelResult, bool errorSummary)
    {
        var sb = new StringBuilder();
        if (verbose && !parallelResult)
            return "";
        bool printTest = verbose || t.ForceLog || t.Failed;
        if (printTest)
            AppendLog(sb, t.Log);
        foreach (var s in t.Subtests)
        {
            if (s.Filtered || (errorSummary && !s.Failed))
                continue;
            if (verbose || t.ForceLog || s.Failed)
                AppendLog(sb, s.Log);
            sb.Append(ResultLines.Subtest(t.Number, s.Number, t.Name, s.Name, s.Result));
        }
        sb.Append(ResultLines.Test(t.Number, t.Name, t.Result));
        return sb.ToString();
    }

    private static void AppendLog(StringBuilder sb, string log)
    {
        if (log.Length == 0)
            return;
        sb.Append(log);
        if (!log.EndsWith('\n'))
            sb.Append('\n');
    }
}
