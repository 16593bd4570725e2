using System.Text.Json;
using System.Xml.Linq;
using BpfTests.Reporting;
using BpfTests.Reporting.Input;
using NUnit.Framework;

namespace BpfTests.Vmtest.Tests.Reporting;

/// <summary>The report from fixture result files: the page's grid, header and logs, and the Markdown summary.</summary>
public class ReportGenerationTests
{
    private const string Ext = "BpfTests.Btf.BtfExtTests.";
    private const string Unguarded = "BpfTests.Core.CoreKernelTests.UnguardedMissingFieldIsPoisonedAndTheVerifierLogSaysWhy";
    private const string Registering = "BpfTests.Kmod.StructOpsSmokeTests.RegisteringBpfTestmodOpsRunsTest1AndTest2ThroughReg";
    private const string BadStructOps = "BpfTests.ProgTests.bad_struct_ops_tests.bad_struct_ops";

    private static (XDocument Page, string Markdown, ReportOutput Output) Generate(ReportFixture f)
    {
        var output = ReportCommand.Run(new ReportRequest { Artifacts = f.Dir, Now = ReportFixture.Now });
        return (ReportFixture.Parse(output.Html), File.ReadAllText(output.Markdown), output);
    }

    private static XElement Row(XDocument page, string key) =>
        page.Descendants("tr").Single(r => (string?)r.Attribute("data-key") == key);

    private static XElement Cell(XDocument page, string key, string column) =>
        Row(page, key).Elements("td").Single(td => (string?)td.Attribute("data-col") == column);

    private static string Class(XElement e) => (string?)e.Attribute("class") ?? "";

    [Test]
    public void ColumnsAreHostThenKernelsInVersionOrderWithTheirRunFacts()
    {
        using var f = new ReportFixture();
        var (page, _, _) = Generate(f);
        var columns = page.Descendants("table").Single(t => (string?)t.Attribute("id") == "columns").Elements("tr").Skip(1).ToList();
        Assert.That(columns.Select(r => (string?)r.Attribute("data-col")), Is.EqualTo(new[] { "host", "6.1", "6.12" }));
        var k612 = columns[2].Elements().Select(e => e.Value).ToList();
        Assert.That(k612[1], Is.EqualTo("6.12.95+deb12-cloud-amd64"));
        Assert.That(k612[2], Is.EqualTo("FAIL"));
        Assert.That(columns[2].Descendants("li").Select(l => l.Value), Has.Some.StartsWith("kernel_splats: 1 line(s), first: [   41.201337] WARNING:"));
        Assert.That(columns[1].Elements().ElementAt(2).Value, Is.EqualTo("PASS"));
        Assert.That(columns[1].Elements().ElementAt(8).Value, Is.EqualTo("2.11 s"), "init uptime (boot time)");
        Assert.That(columns[0].Elements().ElementAt(1).Value, Is.EqualTo("6.18.5-cloud-amd64"), "host release from test-results/kernel-release");
        Assert.That(columns[0].Elements().ElementAt(2).Value, Is.EqualTo("?"), "the host suite records no verdict");
    }

    [Test]
    public void CellsShowPassFailSkipWithReasonAndNotRun()
    {
        using var f = new ReportFixture();
        var (page, _, _) = Generate(f);
        foreach (var col in new[] { "host", "6.1", "6.12" })
            Assert.That(Class(Cell(page, Ext + "CoreRelosOfEveryRequestedKind", col)), Is.EqualTo("c ok"));

        Assert.That(Class(Cell(page, Unguarded, "6.12")), Is.EqualTo("c fail"));
        Assert.That(Class(Cell(page, Unguarded, "6.1")), Is.EqualTo("c ok"));

        var hostSkip = Cell(page, Registering, "host");
        Assert.That(Class(hostSkip), Is.EqualTo("c skip"));
        Assert.That((string?)hostSkip.Attribute("title"), Does.StartWith("SKIP: requires bpf_testmod with its struct_ops types"));
        Assert.That((string?)Cell(page, Registering, "6.1").Attribute("title"), Is.EqualTo("SKIP: requires kernel >= 6.9 (running 6.1.0): needs kernel ≥ 6.9 (module struct_ops)"));
        Assert.That(Class(Cell(page, Registering, "6.12")), Is.EqualTo("c ok"));

        var notRun = Cell(page, Ext + "MalformedHeaders", "6.1");
        Assert.That(Class(notRun), Is.EqualTo("c none"));
        Assert.That(notRun.Value, Is.EqualTo("not run"));
        Assert.That(notRun.Attribute("data-log"), Is.Null);
    }

    [Test]
    public void RowsCarryTheFilterFlags()
    {
        using var f = new ReportFixture();
        var (page, _, _) = Generate(f);
        string Flags(string key) => string.Join(",", new[] { "failed", "differs", "skipped", "changed", "slower" }.Where(n => (string?)Row(page, key).Attribute("data-" + n) == "1"));
        Assert.That(Flags(Ext + "CoreRelosOfEveryRequestedKind"), Is.EqualTo(""));
        Assert.That(Flags(Unguarded), Is.EqualTo("failed,differs,changed"));
        Assert.That(Flags(Registering), Is.EqualTo("differs,skipped"));
        Assert.That(Flags(Ext + "MalformedHeaders"), Is.EqualTo("differs"));
        Assert.That(Flags(Ext + "EncodersWriteKernelLayout"), Is.EqualTo("changed"), "FAIL in the previous 6.1 run, OK now");
        Assert.That(Flags(Ext + "RandomMutationsOnlyEverThrowBpfFormatException"), Is.EqualTo("slower"), "0.20 s before, 0.53 s now on 6.1");
        Assert.That(Flags(Ext + "HeaderAndRecordSizes"), Is.EqualTo(""), "20 ms → 84 ms is below the noise floor");
        Assert.That(Flags(BadStructOps), Is.EqualTo("differs,skipped"), "a skipped subtest on host and 6.1");
    }

    [Test]
    public void ChangedAndSlowerCellsSayWhatTheyWere()
    {
        using var f = new ReportFixture();
        var (page, _, _) = Generate(f);
        var changed = Cell(page, Ext + "EncodersWriteKernelLayout", "6.1");
        Assert.That(changed.Elements("span").Select(s => s.Value), Does.Contain("changed"));
        Assert.That((string?)changed.Attribute("title"), Does.EndWith("; was FAIL in the previous run"));
        var slow = Cell(page, Ext + "RandomMutationsOnlyEverThrowBpfFormatException", "6.1");
        Assert.That((string?)slow.Attribute("title"), Is.EqualTo("OK in 527 ms; took 200 ms in the previous run"));
        var lists = page.Descendants("section").Single(s => (string?)s.Attribute("id") == "lists");
        Assert.That(lists.Descendants("ul").Single(u => (string?)u.Attribute("id") == "changed").Elements("li").Select(l => l.Value), Is.EquivalentTo(new[]
        {
            Ext + "EncodersWriteKernelLayout on 6.1: FAIL → OK",
            Unguarded + " on 6.12: OK → FAIL",
        }));
        Assert.That(lists.Descendants("ul").Single(u => (string?)u.Attribute("id") == "slower").Elements("li").Select(l => l.Value),
            Is.EqualTo(new[] { Ext + "RandomMutationsOnlyEverThrowBpfFormatException on 6.1: 200 ms → 527 ms" }));
        // slowest on 6.12 (real times): EncodersWriteKernelLayout 1.79 s first
        Assert.That(lists.Descendants("ol").ElementAt(2).Elements("li").First().Value, Is.EqualTo("1.79 s  " + Ext + "EncodersWriteKernelLayout"));
    }

    [Test]
    public void AFailingCellOpensItsMessageTestLinesLibbpfLogAndVerifierLog()
    {
        using var f = new ReportFixture();
        var (page, _, _) = Generate(f);
        var id = (string?)Cell(page, Unguarded, "6.12").Attribute("data-log");
        var logs = JsonDocument.Parse(page.Descendants("script").Single(s => (string?)s.Attribute("id") == "logs").Value).RootElement;
        var entry = logs.GetProperty(id!);
        Assert.That(entry.GetProperty("h").GetString(), Does.StartWith(Unguarded + " on 6.12: FAIL in "));
        Assert.That(entry.GetProperty("m").GetString(), Does.Contain(":FAIL:verifier log names the poisoned relocation"));
        Assert.That(entry.GetProperty("s").GetString(), Does.Contain("CoreTests.cs:line 212"));
        Assert.That(entry.GetProperty("t").GetString(), Does.EndWith("#328     UnguardedMissingFieldIsPoisonedAndTheVerifierLogSaysWhy:FAIL"));
        Assert.That(entry.GetProperty("l").GetString()!.Split('\n'), Is.EqualTo(new[]
        {
            "libbpf: prog 'core_unguarded': BPF program load failed: -EINVAL",
            "libbpf: prog 'core_unguarded': -- BEGIN PROG LOAD LOG --",
            "libbpf: prog 'core_unguarded': failed to load: -EINVAL",
            "libbpf: failed to load object 'core.bpf.o'",
        }));
        var verifier = entry.GetProperty("v").EnumerateArray().Single().GetString();
        Assert.That(verifier, Does.StartWith("reg type unsupported for arg#0 function core_unguarded#747"));
        Assert.That(verifier, Does.Contain("R0 invalid mem access 'scalar'"));
    }

    [Test]
    public void SubtestsAreRowsUnderTheirTestWithTheirOwnOutcomes()
    {
        using var f = new ReportFixture();
        var (page, _, _) = Generate(f);
        var id = (string?)Row(page, BadStructOps).Attribute("id");
        var subs = page.Descendants("tr").Where(r => (string?)r.Attribute("data-parent") == id).ToList();
        Assert.That(subs.Select(s => s.Element("th")!.Value), Is.EqualTo(new[] { "invalid_prog_reuse", "unused_program" }));
        Assert.That(subs.All(s => (string?)s.Attribute("hidden") == "hidden"), "collapsed until expanded");
        Assert.That(subs[0].Elements("td").Select(Class), Is.EqualTo(new[] { "c skip", "c skip", "c ok" }));
        Assert.That(subs[1].Elements("td").Select(Class), Is.EqualTo(new[] { "c ok", "c ok", "c ok" }));
        Assert.That((string?)subs[0].Elements("td").First().Attribute("title"), Does.StartWith("SKIP: invalid_prog_reuse:SKIP: requires bpf_testmod"));
    }

    [Test]
    public void MarkdownHasCountsFailuresWithExcerptsAndChanges()
    {
        using var f = new ReportFixture();
        var summary = Path.Combine(f.Dir, "step-summary.md");
        File.WriteAllText(summary, "earlier step\n");
        var output = ReportCommand.Run(new ReportRequest { Artifacts = f.Dir, Now = ReportFixture.Now, StepSummary = summary });
        var md = File.ReadAllText(output.Markdown);
        Assert.That(md, Does.StartWith("## BpfTests: 8 tests on host, 6.1, 6.12\n"));
        Assert.That(md, Does.Contain("| failed | 0 | 0 | **1** |"));
        Assert.That(md, Does.Contain("| not run | 0 | 1 | 0 |"));
        Assert.That(md, Does.Contain("### Failing tests (1)\n\n- `" + Unguarded + "` fails on 6.12\n  <details><summary>log on 6.12</summary>"));
        Assert.That(md, Does.Contain("  libbpf: failed to load object 'core.bpf.o'\n"));
        Assert.That(md, Does.Contain("### Changed since the previous run (2)"));
        Assert.That(md, Does.Contain("- `" + Ext + "EncodersWriteKernelLayout`: 6.1 FAIL → OK"));
        Assert.That(md, Does.Contain("- `" + Ext + "RandomMutationsOnlyEverThrowBpfFormatException`: 6.1 200 ms → 527 ms"));
        Assert.That(md.Split('\n').Length, Is.LessThan(80), "short");
        Assert.That(File.ReadAllText(summary), Is.EqualTo("earlier step\n" + md + "\n"), "appended to $GITHUB_STEP_SUMMARY");
    }

    [Test]
    public void TheCachedPreviousRunIsCopiedIntoTheArtifactsAndARebuildNeverComparesARunWithItself()
    {
        using var f = new ReportFixture();
        var cache = Path.Combine(f.Dir, "cache");
        // the fixture's previous/ becomes the cached latest run of each kernel
        var runs = new PreviousRuns(cache);
        foreach (var col in new[] { "6.1", "6.12" }) runs.Remember(ColumnSource.Kept(col, Path.Combine(f.Dir, "previous", col)));
        Directory.Delete(Path.Combine(f.Dir, "previous"), true);

        var first = ReportCommand.Run(new ReportRequest { Artifacts = f.Dir, Now = ReportFixture.Now, PreviousCache = cache, Remember = true });
        Assert.That(first.Model.Changed.Count, Is.EqualTo(2));
        Assert.That(File.Exists(Path.Combine(f.Dir, "previous", "6.1", "results", "tests.trx")), "kept in the artifacts for a rebuild elsewhere");
        Assert.That(runs.PreviousOf(ArtifactsLayout.Kernel(f.Dir, "6.1"))!.ResultsDir, Does.EndWith(Path.Combine("6.1", "before", "results")));

        var again = ReportCommand.Run(new ReportRequest { Artifacts = f.Dir, Now = ReportFixture.Now, PreviousCache = cache, Remember = true });
        Assert.That(again.Model.Changed.Count, Is.EqualTo(2), "the same run rebuilt compares with the run before it, not with itself");
        var offline = ReportCommand.Run(new ReportRequest { Artifacts = f.Dir, Now = ReportFixture.Now });
        Assert.That(offline.Model.Changed.Select(r => r.Key), Is.EqualTo(first.Model.Changed.Select(r => r.Key)), "./run.sh report DIR: from DIR/previous");
        Assert.That(first.Model.ColumnsWithPrevious, Is.EquivalentTo(new[] { "6.1", "6.12" }), "host has no previous run");
    }

    [Test]
    public void ColumnsCanBeRestrictedAndANameWithoutResultsIsAClearError()
    {
        using var f = new ReportFixture();
        var host = ReportCommand.Run(new ReportRequest { Artifacts = f.Dir, Now = ReportFixture.Now, Columns = ["host"] });
        Assert.That(host.Model.Columns.Select(c => c.Name), Is.EqualTo(new[] { "host" }));
        var empty = Directory.CreateTempSubdirectory("bpftests-report-empty-").FullName;
        try
        {
            var e = Assert.Throws<FileNotFoundException>(() => ReportCommand.Run(new ReportRequest { Artifacts = empty }));
            Assert.That(e!.Message, Does.StartWith($"no result files under {empty}"));
        }
        finally { Directory.Delete(empty, true); }
    }

    [Test]
    public void AMalformedResultFileNamesItself()
    {
        using var f = new ReportFixture();
        var trx = Path.Combine(f.Dir, "vmtest", "6.1", "results", "tests.trx");
        File.WriteAllText(trx, "<TestRun><Results><UnitTestResult");
        var e = Assert.Throws<FormatException>(() => ReportCommand.Run(new ReportRequest { Artifacts = f.Dir }));
        Assert.That(e!.Message, Does.StartWith(trx + ": not a TRX file"));
    }
}
