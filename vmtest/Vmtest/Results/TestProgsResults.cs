using System.Text.Json;
using System.Text.RegularExpressions;

namespace BpfTests.Vmtest.Results;

/// <summary>
/// A guest run of test_progs read back on the host: the -J summary (machine-readable, authoritative
/// for passed/skipped/failed totals) and the test-level result lines of its output
/// (<c>#N name:OK|SKIP|FAIL|OK (SKIP: x/y)</c>, before <c>All error logs:</c>) for how many whole
/// tests passed or were skipped and which failed. Returned in the shape the verdict reads.
/// When the summary has the port's <c>tests</c> array (<see cref="EveryTestVariable"/>, set in the
/// guests) the counts come from it alone: every tested test with its result.
/// </summary>
public static class TestProgsResults
{
    private static readonly Regex TestLine = new(@"^#(\d+)\s+(.+):(OK|SKIP|FAIL|OK \(SKIP: \d+/\d+\))$", RegexOptions.Compiled);

    /// <summary>A live count of one output line: 'p', 's', 'f', or null when it is not a test result line.</summary>
    public static char? Classify(string line)
    {
        var m = TestLine.Match(line);
        if (!m.Success) return null;
        return m.Groups[3].Value switch { "FAIL" => 'f', "SKIP" => 's', _ => 'p' };
    }

    /// <summary>Asks test_progs for the <c>tests</c> array in its -J file (test_progs/Runner/Output/JsonSummary.cs).</summary>
    public const string EveryTestVariable = "TEST_PROGS_JSON_TESTS";

    public static TrxSummary Load(string jsonPath, IEnumerable<string> outputLines)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(jsonPath));
        var root = doc.RootElement;
        if (root.TryGetProperty("tests", out var every))
            return FromEveryTest(every);
        int success = root.GetProperty("success").GetInt32();
        int failed = root.GetProperty("failed").GetInt32();
        var failedNames = root.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("name").GetString() ?? "?").ToList();

        int passedLines = 0, skippedLines = 0;
        var failedLines = new List<string>();
        foreach (var line in outputLines)
        {
            if (line == "All error logs:") break;
            var m = TestLine.Match(line);
            if (!m.Success) continue;
            switch (Classify(line))
            {
                case 'p': passedLines++; break;
                case 's': skippedLines++; break;
                default: failedLines.Add(m.Groups[2].Value); break;
            }
        }
        if (failedNames.Count == 0) failedNames = failedLines; // -v: the JSON lists no results
        // test_progs counts a fully skipped test as passed; the lines tell them apart when they agree with the JSON.
        bool consistent = passedLines + skippedLines == success && failedLines.Count == failed;
        return consistent
            ? new TrxSummary(success + failed, passedLines, failed, skippedLines, failedNames)
            : new TrxSummary(success + failed, success, failed, 0, failedNames);
    }

    private static TrxSummary FromEveryTest(JsonElement tests)
    {
        int passed = 0, skipped = 0;
        var failed = new List<string>();
        foreach (var t in tests.EnumerateArray())
        {
            var result = t.GetProperty("result").GetString();
            if (result == "FAIL") failed.Add(t.GetProperty("name").GetString() ?? "?");
            else if (result == "SKIP") skipped++;
            else passed++;
        }
        return new TrxSummary(passed + skipped + failed.Count, passed, failed.Count, skipped, failed);
    }
}
