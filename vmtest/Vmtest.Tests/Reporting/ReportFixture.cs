using System.Xml;
using System.Xml.Linq;
using NUnit.Framework;

namespace BpfTests.Vmtest.Tests.Reporting;

/// <summary>
/// A private copy of Fixtures/report (result files trimmed from real host, 6.1 and 6.12 runs, edited
/// into the cases the report must show: a failure with its verifier log on 6.12 only, skips with
/// reasons, a test not run on 6.1, subtests, and a previous run with a changed outcome and a slower test).
/// </summary>
internal sealed class ReportFixture : IDisposable
{
    public string Dir { get; } = Directory.CreateTempSubdirectory("bpftests-report-").FullName;

    public ReportFixture()
    {
        var source = Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures", "report");
        foreach (var f in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(Dir, Path.GetRelativePath(source, f));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(f, target);
        }
    }

    public static readonly DateTimeOffset Now = new(2026, 11, 30, 6, 0, 0, TimeSpan.Zero);

    /// <summary>The generated page as XML (it is written to be well-formed).</summary>
    public static XDocument Parse(string htmlPath)
    {
        using var reader = XmlReader.Create(htmlPath, new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore });
        return XDocument.Load(reader);
    }

    public void Dispose() => Directory.Delete(Dir, true);
}
