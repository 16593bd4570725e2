using BpfTests.Vmtest.Run;
using NUnit.Framework;

namespace BpfTests.Vmtest.Tests;

public class ProgressTests
{
    private static string[] OutputLog() =>
        File.ReadAllLines(Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures", "progress", "output.log"));

    [Test]
    public void OnlyTheRunnersResultLinesCount()
    {
        // a real 6.1 output.log excerpt: a verifier log prints "failed to resolve CO-RE relocation ..."
        // at column 0 and again indented under "Standard output"
        var lines = OutputLog();
        Assert.That(lines.Count(l => l.TrimStart().StartsWith("failed to resolve CO-RE relocation")), Is.EqualTo(2));
        var tally = new TestTally(TestMode.Mtp);
        foreach (var l in lines) tally.Add(l);
        Assert.That(tally.Counts, Is.EqualTo(new TestCounts(5, 0, 1, 351, "RegisteringBpfTestmodOpsRunsTest1AndTest2ThroughReg")));
    }

    [TestCase("failed Foo(\"a b\") (1s 083ms)", true)]
    [TestCase("failed to resolve CO-RE relocation <byte_off> [618] struct x.y (0:0 @ offset 0)", false)]
    [TestCase("    failed Foo (12ms)", false)]
    [TestCase("  Failed Foo [12 ms]", true)]
    [TestCase("  Skipped Bar [< 1 ms]", true)]
    [TestCase("    Failed to load [object]", false)]
    public void ResultLineShapes(string line, bool counted) => Assert.That(new TestTally(TestMode.Mtp).Add(line), Is.EqualTo(counted));

    [Test]
    public void LogProgressPrintsEveryFivePercentNotEveryTest()
    {
        var w = new StringWriter();
        var p = new ConsoleProgress(w);
        for (var done = 1; done <= 351; done++) p.Tests("6.1", new TestCounts(done, 0, 0, 351, $"T{done}"), finished: false);
        p.Tests("6.1", new TestCounts(351, 0, 0, 351, "T351"), finished: true);
        var lines = w.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(22), "0%..100% in 5% steps, then the closing line");
        Assert.That(lines[1], Does.EndWith("] tests: 5% (18/351): 18 passed, 0 failed, 0 skipped; last: T18"));
        Assert.That(lines[^1], Does.EndWith("] tests done: 100% (351/351): 351 passed, 0 failed, 0 skipped; last: T351"));
    }

    [Test]
    public void WithoutATotalLogProgressPrintsEveryTwentyFiveTests()
    {
        var w = new StringWriter();
        var p = new ConsoleProgress(w);
        for (var done = 1; done <= 100; done++) p.Tests("7.2", new TestCounts(done, 0, 0, null, null), finished: false);
        Assert.That(w.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries), Has.Length.EqualTo(5));
    }

    [Test]
    public void TheTerminalLineIsRewrittenInPlaceAndStaysWhenTheKernelEnds()
    {
        var w = new StringWriter();
        var p = new TerminalProgress(w);
        p.Tests("6.1", new TestCounts(1, 0, 0, 3, "A"), finished: false);
        p.Info("6.1", "vmtest: a message");
        p.Tests("6.1", new TestCounts(3, 0, 0, 3, "C"), finished: true);
        var text = w.ToString();
        Assert.That(text, Does.Contain("\r\x1b[2K[vmtest 6.1 "), "erased before the message");
        Assert.That(text.Split('\n'), Has.Length.EqualTo(3), "the message's line, the final kernel line, the end");
        // after the message the live line is drawn again, then replaced by the final one
        Assert.That(text.Split('\n')[1], Does.Match(@"^\[vmtest 6\.1 +[0-9.]+s\] tests 33% \(1/3\): 1 passed, 0 failed, 0 skipped; last: A\r\x1b\[2K\[vmtest 6\.1 +[0-9.]+s\] done 100% \(3/3\): 3 passed, 0 failed, 0 skipped; last: C$"));
    }
}
