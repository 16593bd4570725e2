using System.Text.RegularExpressions;
using BpfTests.Reporting.Model;

namespace BpfTests.Reporting.Input;

/// <summary>
/// Subtests from a test's log: the harness prints <c>#T/S test/subtest:OK|SKIP|FAIL</c> (test_progs
/// §5.3) after each subtest's own output, so a subtest's log is the lines since the previous result line.
/// </summary>
public static partial class SubtestLines
{
    [GeneratedRegex(@"^#\d+/\d+\s+[^/]+/(?<sub>.+):(?<res>OK|SKIP|FAIL)$")]
    private static partial Regex Line();

    public static IReadOnlyList<SubtestResult> Parse(string log)
    {
        var subs = new List<SubtestResult>();
        var pending = new List<string>();
        foreach (var line in log.Split('\n'))
        {
            var m = Line().Match(line.TrimEnd());
            if (!m.Success) { pending.Add(line); continue; }
            var outcome = m.Groups["res"].Value switch { "OK" => Outcome.Passed, "SKIP" => Outcome.Skipped, _ => Outcome.Failed };
            var sub = new SubtestResult(m.Groups["sub"].Value, outcome, string.Join('\n', pending).Trim('\n'));
            // a test that runs the harness twice (a sandbox of a sandbox) prints a subtest twice: keep the last
            subs.RemoveAll(s => s.Name == sub.Name);
            subs.Add(sub);
            pending.Clear();
        }
        return subs;
    }
}
