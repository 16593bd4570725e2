using System.Xml.Linq;

namespace BpfTests.Vmtest.Results;

/// <summary>Counts and failed test names from a TRX file (VSTest's or MTP's TrxReport).</summary>
public sealed record TrxSummary(int Total, int Passed, int Failed, int Skipped, IReadOnlyList<string> FailedTests)
{
    public static TrxSummary Load(string path)
    {
        var doc = XDocument.Load(path);
        XNamespace ns = doc.Root!.Name.Namespace;
        var c = doc.Descendants(ns + "Counters").FirstOrDefault() ?? throw new FormatException($"{path}: no <Counters>");
        int A(string n) => int.TryParse((string?)c.Attribute(n), out var v) ? v : 0;
        var failed = doc.Descendants(ns + "UnitTestResult")
            .Where(r => (string?)r.Attribute("outcome") is "Failed" or "Error" or "Timeout" or "Aborted")
            .Select(r => (string?)r.Attribute("testName") ?? "?").ToList();
        var failedCount = A("failed") + A("error") + A("timeout") + A("aborted");
        return new TrxSummary(A("total"), A("passed"), failedCount, A("total") - A("executed"), failed);
    }
}
