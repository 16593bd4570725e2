using System.Xml.Linq;
using BpfTests.Reporting;
using BpfTests.Reporting.Input;
using BpfTests.Reporting.Model;
using NUnit.Framework;

namespace BpfTests.Vmtest.Tests.Reporting;

/// <summary>
/// test_progs' -J summary as a report column (<see cref="TestProgsResultReader"/>). Fixtures/test_progs/6.1.json
/// holds the 6.1 fixture column's tests in the shape the front end writes with TEST_PROGS_JSON_TESTS=1
/// (logs as -v prints them, renumbered as test_progs numbers them).
/// </summary>
public class TestProgsReaderTests
{
    private static string Json61 => Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures", "test_progs", "6.1.json");

    /// <summary>The report fixture with the 6.1 column's TRX replaced by its test_progs JSON.</summary>
    private static ReportFixture WithTestProgs61()
    {
        var f = new ReportFixture();
        var results = Path.Combine(f.Dir, "vmtest", "6.1", "results");
        File.Delete(Path.Combine(results, "tests.trx"));
        File.Copy(Json61, Path.Combine(results, TestProgsResultReader.FileName));
        return f;
    }

    private static (XDocument Page, string Markdown) Generate(ReportFixture f)
    {
        var output = ReportCommand.Run(new ReportRequest { Artifacts = f.Dir, Now = ReportFixture.Now });
        return (ReportFixture.Parse(output.Html), File.ReadAllText(output.Markdown));
    }

    private static IEnumerable<string> Cells(XDocument page, string column) =>
        page.Descendants("tr").Where(r => r.Attribute("data-key") != null || r.Attribute("data-parent") != null)
            .Select(r => $"{(string?)r.Attribute("data-key") ?? r.Element("th")?.Value}: " + string.Join(" ",
                r.Elements("td").Where(td => (string?)td.Attribute("data-col") == column || r.Attribute("data-parent") != null)
                    .Select(td => $"{(string?)td.Attribute("class")} [{(string?)td.Attribute("title")}]")));

    [Test]
    public void A_test_progs_column_gives_the_same_rows_cells_and_summary_as_the_trx_of_the_same_run()
    {
        using var trx = new ReportFixture();
        using var json = WithTestProgs61();
        var (trxPage, trxMd) = Generate(trx);
        var (jsonPage, jsonMd) = Generate(json);
        Assert.That(Cells(jsonPage, "6.1"), Is.EqualTo(Cells(trxPage, "6.1")));
        // the logs differ only in test numbers (MTP's harness numbers all tests; test_progs those it registers)
        static string Unnumbered(string md) => System.Text.RegularExpressions.Regex.Replace(md, @"#\d+ +", "#N ");
        Assert.That(Unnumbered(jsonMd), Is.EqualTo(Unnumbered(trxMd)));
        Assert.That(Cells(jsonPage, "6.1"), Has.Some.EqualTo(
            "BpfTests.Kmod.StructOpsSmokeTests.RegisteringBpfTestmodOpsRunsTest1AndTest2ThroughReg: c skip [SKIP: requires kernel >= 6.9 (running 6.1.0): needs kernel ≥ 6.9 (module struct_ops)]"),
            "a sanity check that the comparison saw the cells");
    }

    [Test]
    public void Every_test_is_read_with_its_fixture_outcome_reason_duration_and_subtests()
    {
        var dir = Path.GetDirectoryName(Json61)!;
        var tmp = Directory.CreateTempSubdirectory("tp-reader-").FullName;
        try
        {
            File.Copy(Json61, Path.Combine(tmp, TestProgsResultReader.FileName));
            Assert.That(ResultReaders.For(tmp), Is.InstanceOf<TestProgsResultReader>());
            Assert.That(ResultReaders.For(dir), Is.Null, "only test_progs.json is read");
            var tests = new TestProgsResultReader().Read(tmp).Tests.ToDictionary(t => t.Key);
            Assert.That(tests.Keys, Has.Count.EqualTo(7).And.Contains("BpfTests.Btf.BtfExtTests.CoreRelosOfEveryRequestedKind"));
            var bad = tests["BpfTests.ProgTests.bad_struct_ops_tests.bad_struct_ops"];
            Assert.That(bad.Outcome, Is.EqualTo(Outcome.Passed), "OK (SKIP: 1/2) is a pass");
            Assert.That(bad.Subtests.Select(s => (s.Name, s.Outcome)), Is.EqualTo(new[] { ("invalid_prog_reuse", Outcome.Skipped), ("unused_program", Outcome.Passed) }));
            Assert.That(bad.Subtests[1].Log, Does.EndWith("unused_program:PASS:errno 0 nsec"));
            Assert.That(bad.Duration, Is.EqualTo(TimeSpan.FromSeconds(0.116)));
            var skipped = tests["BpfTests.Kmod.StructOpsSmokeTests.RegisteringBpfTestmodOpsRunsTest1AndTest2ThroughReg"];
            Assert.That((skipped.Outcome, skipped.SkipReason), Is.EqualTo((Outcome.Skipped, "requires kernel >= 6.9 (running 6.1.0): needs kernel ≥ 6.9 (module struct_ops)")));
            Assert.That(skipped.Log, Does.EndWith("#5      RegisteringBpfTestmodOpsRunsTest1AndTest2ThroughReg:SKIP"));
        }
        finally { Directory.Delete(tmp, true); }
    }

    [TestCase("OK", Outcome.Passed)]
    [TestCase("OK (SKIP: 2/3)", Outcome.Passed)]
    [TestCase("SKIP", Outcome.Skipped)]
    [TestCase("FAIL", Outcome.Failed)]
    public void Result_words(string word, Outcome outcome) => Assert.That(TestProgsResultReader.OutcomeOf(word), Is.EqualTo(outcome));

    [Test]
    public void Upstreams_shape_alone_gives_the_failed_tests_and_bad_files_name_themselves()
    {
        var tmp = Directory.CreateTempSubdirectory("tp-reader-").FullName;
        var file = Path.Combine(tmp, TestProgsResultReader.FileName);
        try
        {
            File.WriteAllText(file, "{\"success\":1,\"success_subtest\":0,\"skipped\":0,\"failed\":1,\"results\":[{\"name\":\"bad\",\"number\":2," +
                "\"message\":\"before\\n\",\"failed\":true,\"subtests\":[{\"name\":\"two\",\"number\":2,\"message\":\"two:FAIL:y no\\n\",\"failed\":true}]}]}\n");
            var t = new TestProgsResultReader().Read(tmp).Tests.Single();
            Assert.That((t.Key, t.Outcome, t.Log), Is.EqualTo(("bad", Outcome.Failed, "before\ntwo:FAIL:y no")));
            Assert.That(t.Subtests.Single(), Is.EqualTo(new SubtestResult("two", Outcome.Failed, "two:FAIL:y no")));

            File.WriteAllText(file, "");
            Assert.That(() => new TestProgsResultReader().Read(tmp), Throws.InstanceOf<FormatException>().With.Message.StartsWith(file + ": empty"));
            File.WriteAllText(file, "{\"success\":1,\"tests\":[{\"name\":\"x\",\"result\":\"MAYBE\"}]}");
            Assert.That(() => new TestProgsResultReader().Read(tmp), Throws.InstanceOf<FormatException>().With.Message.Contains("MAYBE"));
            File.WriteAllText(file, "{\"success\":");
            Assert.That(() => new TestProgsResultReader().Read(tmp), Throws.InstanceOf<FormatException>().With.Message.StartsWith(file + ": not a test_progs JSON summary"));
        }
        finally { Directory.Delete(tmp, true); }
    }
}
