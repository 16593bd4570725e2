using System.Net;
using System.Text.RegularExpressions;
using BpfTests.Reporting;
using BpfTests.Vmtest.Exec;
using BpfTests.Vmtest.Provision;
using NUnit.Framework;

namespace BpfTests.Vmtest.Tests.Reporting;

/// <summary>
/// The generated page in a real browser: headless Chromium (Debian's package; `./run.sh setup`
/// installs it) loads it, runs its script, and dumps the DOM; the grid and the filters are checked
/// there. A screenshot is kept as artifacts/report-screenshot.png and as a test attachment.
/// </summary>
[NonParallelizable]
public partial class ReportInBrowserTests
{
    private const string Unguarded = "BpfTests.Core.CoreKernelTests.UnguardedMissingFieldIsPoisonedAndTheVerifierLogSaysWhy";

    private static string Chromium()
    {
        var found = new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists);
        if (found == null) Assert.Ignore("Debian's chromium is not installed (./run.sh setup installs it): the report's browser checks need it");
        return found!;
    }

    /// <summary>
    /// Runs headless Chromium on the page and returns what it printed: the DOM after the page's script
    /// ran (--dump-dom), unless other options (a screenshot) are given.
    /// Its output goes to a file, not a pipe: Chromium's helper processes can keep an inherited pipe
    /// open after the browser exits, and a reader waiting for end-of-file then never sees it.
    /// </summary>
    private static async Task<string> Browse(string page, string fragment, params string[] extra)
    {
        var work = Directory.CreateTempSubdirectory("bpftests-chromium-").FullName;
        try
        {
            var args = new List<string> { "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--user-data-dir=" + Path.Combine(work, "profile") };
            args.AddRange(extra.Length > 0 ? extra : ["--dump-dom"]);
            args.Add(new Uri(page).AbsoluteUri + fragment);
            var stdout = Path.Combine(work, "stdout");
            var command = "exec " + string.Join(' ', new[] { Chromium() }.Concat(args).Select(Run.TestCommand.Q)) + $" >{Run.TestCommand.Q(stdout)} 2>&1 </dev/null";
            var r = await ProcessRunner.RunAsync(new ProcessSpec("/bin/sh", ["-c", command]), TimeSpan.FromSeconds(90));
            var output = File.Exists(stdout) ? File.ReadAllText(stdout) : "";
            Assert.That(r.Succeeded, $"chromium exited {r.ExitCode} (timed out: {r.TimedOut}): {ProcessRunner.Tail(output, 20)}");
            return output;
        }
        finally { Directory.Delete(work, true); }
    }

    [GeneratedRegex("""<tr class="test"[^>]*>""")]
    private static partial Regex TestRowTag();

    /// <summary>The test rows of a dumped DOM: key and whether the page's script hid the row.</summary>
    private static List<(string Key, bool Hidden, string Tag)> Rows(string dom) => TestRowTag().Matches(dom).Select(m =>
    {
        var key = WebUtility.HtmlDecode(Regex.Match(m.Value, "data-key=\"([^\"]*)\"").Groups[1].Value);
        return (key, Regex.IsMatch(m.Value, @"\shidden(=""[^""]*"")?[\s>]"), m.Value);
    }).ToList();

    private static string Shown(string dom) => Regex.Match(dom, "<span id=\"shown\">([^<]*)</span>").Groups[1].Value;

    [Test]
    public async Task TheScriptRunsAndShowsEveryTestUnfiltered()
    {
        using var f = new ReportFixture();
        var output = ReportCommand.Run(new ReportRequest { Artifacts = f.Dir, Now = ReportFixture.Now });
        var dom = await Browse(output.Html, "");
        Assert.That(dom, Does.Contain("data-ready=\"1\""), "the page's script ran to its end");
        var rows = Rows(dom);
        Assert.That(rows, Has.Count.EqualTo(8));
        Assert.That(rows.Where(r => r.Hidden), Is.Empty);
        Assert.That(Shown(dom), Is.EqualTo("showing 8 of 8 tests"));
        Assert.That(rows.Single(r => r.Key == Unguarded).Tag, Does.Contain("data-failed=\"1\""));
    }

    [Test]
    public async Task FailedAnywhereShowsExactlyTheFailingRows()
    {
        using var f = new ReportFixture();
        var output = ReportCommand.Run(new ReportRequest { Artifacts = f.Dir, Now = ReportFixture.Now });
        var failing = output.Model.Failing.Select(r => r.Key).ToList();
        Assert.That(failing, Is.EqualTo(new[] { Unguarded }));

        var dom = await Browse(output.Html, "#filter=failed");
        var rows = Rows(dom);
        Assert.That(rows.Where(r => !r.Hidden).Select(r => r.Key), Is.EqualTo(failing));
        Assert.That(rows.Count(r => r.Hidden), Is.EqualTo(7));
        Assert.That(Shown(dom), Is.EqualTo("showing 1 of 8 tests"));
        Assert.That(dom, Does.Match("<input type=\"checkbox\" id=\"f-failed\"[^>]*>"), "the checkbox exists");

        var differs = Rows(await Browse(output.Html, "?filter=differs,skipped"));
        Assert.That(differs.Where(r => !r.Hidden).Select(r => r.Key), Is.EquivalentTo(output.Model.Rows.Where(r => r.Differs && r.SkippedAnywhere).Select(r => r.Key)));
        Assert.That(differs.Count(r => !r.Hidden), Is.EqualTo(2), "the skipped struct_ops test and bad_struct_ops' skipped subtest");

        var search = Rows(await Browse(output.Html, "#q=randommutations"));
        Assert.That(search.Where(r => !r.Hidden).Select(r => r.Key), Is.EqualTo(new[] { "BpfTests.Btf.BtfExtTests.RandomMutationsOnlyEverThrowBpfFormatException" }));
    }

    [Test]
    public async Task ACellOpensItsLogWithTheVerifierLog()
    {
        using var f = new ReportFixture();
        var output = ReportCommand.Run(new ReportRequest { Artifacts = f.Dir, Now = ReportFixture.Now });
        var html = File.ReadAllText(output.Html);
        var id = Regex.Match(html, "<td class=\"c fail\" data-col=\"6.12\" data-log=\"(L\\d+)\"").Groups[1].Value;
        Assert.That(id, Is.Not.Empty);
        var dom = await Browse(output.Html, "#log=" + id);
        var panel = Regex.Match(dom, "<aside id=\"log\"[^>]*>(.*?)</aside>", RegexOptions.Singleline);
        Assert.That(panel.Success);
        Assert.That(panel.Value, Does.Not.Match("<aside id=\"log\"[^>]*hidden"), "the panel is open");
        Assert.That(panel.Groups[1].Value, Does.Contain("<h3>verifier log</h3><pre class=\"verifier\">reg type unsupported for arg#0 function core_unguarded#747"));
        Assert.That(panel.Groups[1].Value, Does.Contain("<h3>libbpf log</h3>"));
        Assert.That(panel.Groups[1].Value, Does.Contain(WebUtility.HtmlEncode(Unguarded + " on 6.12: FAIL")));
    }

    [Test]
    public async Task AScreenshotIsKeptAsAnArtifact()
    {
        using var f = new ReportFixture();
        var output = ReportCommand.Run(new ReportRequest { Artifacts = f.Dir, Now = ReportFixture.Now });
        var shot = Path.Combine(f.Dir, "report-screenshot.png");
        await Browse(output.Html, "", "--hide-scrollbars", "--window-size=1280,720", "--screenshot=" + shot);
        var png = File.ReadAllBytes(shot);
        Assert.That(png.Take(8), Is.EqualTo(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }), "a PNG");
        Assert.That(png.Length, Is.GreaterThan(20_000), "a rendered page, not a blank one");
        var artifacts = Path.Combine(VmtestPaths.Discover(TestContext.CurrentContext.TestDirectory).RepoRoot, "artifacts");
        Directory.CreateDirectory(artifacts);
        var kept = Path.Combine(artifacts, "report-screenshot.png");
        File.Copy(shot, kept, true);
        TestContext.AddTestAttachment(kept, "the fixture report in headless Chromium");
    }
}
