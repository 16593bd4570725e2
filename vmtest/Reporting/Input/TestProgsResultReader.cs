using System.Text.Json;
using BpfTests.Reporting.Model;

namespace BpfTests.Reporting.Input;

/// <summary>
/// Reads the <c>-J</c> summary the test_progs front end (<c>test_progs/</c>) writes in a guest
/// (<c>results/test_progs.json</c>). Its <c>tests</c> array (the port's extension, asked for with
/// <c>TEST_PROGS_JSON_TESTS=1</c>, which vmtest sets) lists every tested test with its NUnit fixture
/// and name, so each gets the same key (<c>Fixture.Name</c>) as in a TRX file and the report's rows are
/// the same whichever runner ran a column. Results: <c>FAIL</c> failed, <c>SKIP</c> skipped, <c>OK</c>
/// and <c>OK (SKIP: x/y)</c> passed; the log is what <c>-v</c> prints for the test, so its subtests come
/// from its <c>#T/S test/sub:RESULT</c> lines as for TRX.
/// A summary in upstream's shape only (no <c>tests</c>) still names its failed tests (<c>results</c>,
/// keyed by test name alone, their failed subtests' logs and lines rebuilt): the passed ones are unknown.
/// </summary>
public sealed class TestProgsResultReader : IResultReader
{
    /// <summary>The name vmtest gives the file (its TestCommand.TestProgsJsonName).</summary>
    public const string FileName = "test_progs.json";

    public bool CanRead(string dir) => Files(dir).Count > 0;

    public IReadOnlyList<string> Files(string dir) =>
        File.Exists(Path.Combine(dir, FileName)) ? [Path.Combine(dir, FileName)] : [];

    public ResultSet Read(string dir)
    {
        var path = Path.Combine(dir, FileName);
        var text = File.ReadAllText(path);
        if (text.Length == 0)
            throw new FormatException($"{path}: empty (test_progs ended before its summary, or ran with -l/-c)");
        try
        {
            using var doc = JsonDocument.Parse(text);
            var root = doc.RootElement;
            var tests = root.TryGetProperty("tests", out var every)
                ? every.EnumerateArray().Select(ReadTest).ToList()
                : root.GetProperty("results").EnumerateArray().Select(ReadFailed).ToList();
            return new ResultSet(tests, null, null);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new FormatException($"{path}: not a test_progs JSON summary: {e.Message}", e);
        }
    }

    /// <summary>test_progs' result word to the report's outcome.</summary>
    public static Outcome OutcomeOf(string result) => result switch
    {
        "FAIL" => Outcome.Failed,
        "SKIP" => Outcome.Skipped,
        "OK" => Outcome.Passed,
        _ when result.StartsWith("OK (SKIP: ", StringComparison.Ordinal) => Outcome.Passed,
        _ => throw new FormatException($"unknown test_progs result '{result}'"),
    };

    private static TestResult ReadTest(JsonElement t)
    {
        var outcome = OutcomeOf(t.GetProperty("result").GetString() ?? "");
        var log = Normalize(t.GetProperty("log").GetString() ?? "");
        var reason = t.TryGetProperty("reason", out var r) ? r.GetString() : null;
        return new TestResult(t.GetProperty("fixture").GetString() ?? "", t.GetProperty("name").GetString() ?? "",
            outcome, TimeSpan.FromSeconds(t.GetProperty("seconds").GetDouble()), log,
            string.IsNullOrWhiteSpace(reason) ? null : reason.Trim(), null, SubtestLines.Parse(log));
    }

    private static TestResult ReadFailed(JsonElement t)
    {
        var name = t.GetProperty("name").GetString() ?? "";
        var subtests = t.GetProperty("subtests").EnumerateArray()
            .Select(s => new SubtestResult(s.GetProperty("name").GetString() ?? "", Outcome.Failed,
                Normalize(s.GetProperty("message").GetString() ?? "")))
            .ToList();
        var log = string.Join('\n', new[] { Normalize(t.GetProperty("message").GetString() ?? "") }
            .Concat(subtests.Select(s => s.Log)).Where(l => l.Length > 0));
        return new TestResult("", name, Outcome.Failed, TimeSpan.Zero, log, null, null, subtests);
    }

    private static string Normalize(string s) => s.Replace("\r\n", "\n").TrimEnd('\n', ' ');
}
