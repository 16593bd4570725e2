using System.Globalization;
using System.Xml.Linq;
using BpfTests.Reporting.Model;

namespace BpfTests.Reporting.Input;

/// <summary>
/// Reads the TRX file(s) of a directory (VSTest's logger or MTP's TrxReport; both use the 2010 schema):
/// each UnitTestResult joined with its TestMethod for the fixture (class) name.
/// </summary>
public sealed class TrxResultReader : IResultReader
{
    public bool CanRead(string dir) => Files(dir).Count > 0;

    public IReadOnlyList<string> Files(string dir) =>
        Directory.Exists(dir) ? Directory.GetFiles(dir, "*.trx").Order(StringComparer.Ordinal).ToList() : [];

    public ResultSet Read(string dir)
    {
        var tests = new List<TestResult>();
        DateTimeOffset? started = null, finished = null;
        foreach (var file in Files(dir))
        {
            var one = ReadFile(file);
            tests.AddRange(one.Tests);
            started = Min(started, one.Started);
            finished = Max(finished, one.Finished);
        }
        return new ResultSet(tests, started, finished);
    }

    public static ResultSet ReadFile(string path)
    {
        XDocument doc;
        try { doc = XDocument.Load(path); }
        catch (System.Xml.XmlException e) { throw new FormatException($"{path}: not a TRX file: {e.Message}", e); }
        XNamespace ns = doc.Root!.Name.Namespace;
        var classes = doc.Descendants(ns + "UnitTest").ToDictionary(
            u => (string?)u.Attribute("id") ?? "",
            u => (string?)u.Element(ns + "TestMethod")?.Attribute("className") ?? "");
        var tests = new List<TestResult>();
        foreach (var r in doc.Descendants(ns + "UnitTestResult"))
        {
            var name = (string?)r.Attribute("testName") ?? throw new FormatException($"{path}: a UnitTestResult without testName");
            var fixture = classes.GetValueOrDefault((string?)r.Attribute("testId") ?? "") ?? "";
            var output = r.Element(ns + "Output");
            var log = Normalize((string?)output?.Element(ns + "StdOut") ?? "");
            var error = output?.Element(ns + "ErrorInfo");
            var outcome = OutcomeOf((string?)r.Attribute("outcome"));
            tests.Add(new TestResult(fixture, name, outcome, Duration((string?)r.Attribute("duration")), log,
                Trimmed((string?)error?.Element(ns + "Message")), Trimmed((string?)error?.Element(ns + "StackTrace")),
                SubtestLines.Parse(log)));
        }
        var times = doc.Root.Element(ns + "Times");
        return new ResultSet(tests, Time(times, "start"), Time(times, "finish"));
    }

    /// <summary>TRX outcomes: the failure family is a failure, everything that did not run is a skip.</summary>
    public static Outcome OutcomeOf(string? trx) => trx switch
    {
        "Passed" or "PassedButRunAborted" or "Completed" => Outcome.Passed,
        "Failed" or "Error" or "Timeout" or "Aborted" => Outcome.Failed,
        _ => Outcome.Skipped,
    };

    private static TimeSpan Duration(string? s) =>
        TimeSpan.TryParse(s, CultureInfo.InvariantCulture, out var d) ? d : TimeSpan.Zero;

    private static DateTimeOffset? Time(XElement? times, string attr) =>
        DateTimeOffset.TryParse((string?)times?.Attribute(attr), CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) ? t : null;

    private static string Normalize(string s) => s.Replace("\r\n", "\n").TrimEnd('\n', ' ');
    private static string? Trimmed(string? s) => string.IsNullOrWhiteSpace(s) ? null : Normalize(s).Trim();
    private static DateTimeOffset? Min(DateTimeOffset? a, DateTimeOffset? b) => a == null ? b : b == null ? a : a < b ? a : b;
    private static DateTimeOffset? Max(DateTimeOffset? a, DateTimeOffset? b) => a == null ? b : b == null ? a : a > b ? a : b;
}
