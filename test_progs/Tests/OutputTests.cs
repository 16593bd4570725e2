using BpfTests.TestProgs.Engine;
using BpfTests.TestProgs.Output;
using NUnit.Framework;
using Shouldly;

namespace BpfTests.TestProgs.Tests;

/// <summary>test_progs.md §5 (dump, counting, exit codes), §9 (JSON) and §11 (watchdog timing and texts).</summary>
public class OutputTests
{
    private static readonly TestOutcome Mixed = new("mixed", 12, 1, 1, 1, 4, "test text",
    [
        new SubtestOutcome("one", 1, 0, false, false, "one log\n"),
        new SubtestOutcome("two", 2, 1, false, false, "two:FAIL:x bad\n"),
        new SubtestOutcome("three", 3, 0, true, false, ""),
        new SubtestOutcome("four", 4, 0, false, true, ""),
    ]);

    [Test]
    public void Result_lines_have_upstream_widths()
    {
        BpfHarness.ResultLines.Test(12, "foo", "OK").ShouldBe("#12      foo:OK\n");
        BpfHarness.ResultLines.Subtest(12, 3, "foo", "bar", "OK").ShouldBe("#12/3    foo/bar:OK\n");
        BpfHarness.ResultLines.Subtest(1234, 567, "f", "b", "SKIP").ShouldBe("#1234/567 f/b:SKIP\n");
    }

    [TestCase(1, 0, 0, "FAIL")]
    [TestCase(0, 0, 3, "OK")]
    [TestCase(0, 1, 0, "SKIP")]
    [TestCase(0, 3, 3, "SKIP")]
    [TestCase(0, 1, 3, "OK (SKIP: 1/3)")]
    public void Test_result_text(int errors, int skips, int subtests, string result) =>
        new TestOutcome("t", 1, errors, skips, 0, subtests, "", []).Result.ShouldBe(result);

    [Test]
    public void A_failed_test_prints_its_log_failed_subtest_logs_and_every_unfiltered_subtest_line() =>
        LogDump.Render(Mixed, verbose: false, parallelResult: false, errorSummary: false).ShouldBe(
            "test text\n" +
            "#12/1    mixed/one:OK\n" +
            "two:FAIL:x bad\n" +
            "#12/2    mixed/two:FAIL\n" +
            "#12/3    mixed/three:SKIP\n" +
            "#12      mixed:FAIL\n");

    [Test]
    public void The_error_summary_pass_keeps_only_failed_subtests() =>
        LogDump.Render(Mixed, verbose: false, parallelResult: false, errorSummary: true).ShouldBe(
            "test text\ntwo:FAIL:x bad\n#12/2    mixed/two:FAIL\n#12      mixed:FAIL\n");

    [Test]
    public void A_passing_test_prints_only_lines_and_verbose_parallel_results_print_every_log()
    {
        var ok = new TestOutcome("ok", 3, 0, 0, 1, 1, "quiet", [new SubtestOutcome("s", 1, 0, false, false, "s log")]);
        LogDump.Render(ok, false, false, false).ShouldBe("#3/1     ok/s:OK\n#3       ok:OK\n");
        LogDump.Render(ok, true, false, false).ShouldBe(""); // streamed live already
        LogDump.Render(ok, true, true, false).ShouldBe("quiet\ns log\n#3/1     ok/s:OK\n#3       ok:OK\n");
    }

    [Test]
    public void Summary_counts_and_exit_codes()
    {
        var skipped = new TestOutcome("s", 2, 0, 1, 0, 0, "", []);
        var s = Summary.Of([Mixed, skipped]);
        s.ShouldBe(new Summary(1, 1, 2, 1));
        s.Line.ShouldBe("Summary: 1/1 PASSED, 2 SKIPPED, 1 FAILED\n");
        s.ExitCode.ShouldBe(1);
        Summary.Of([skipped]).ExitCode.ShouldBe(0);
        Summary.Of([]).ExitCode.ShouldBe(2);
        Summary.ListingExitCode(0).ShouldBe(2);
        Summary.ListingExitCode(3).ShouldBe(0);
    }

    [Test]
    public void Json_is_one_compact_line_with_failed_tests_and_their_failed_subtests() =>
        JsonSummary.Render(Summary.Of([Mixed]), [Mixed]).ShouldBe(
            "{\"success\":0,\"success_subtest\":1,\"skipped\":1,\"failed\":1,\"results\":[" +
            "{\"name\":\"mixed\",\"number\":12,\"message\":\"test text\",\"failed\":true,\"subtests\":[" +
            "{\"name\":\"two\",\"number\":2,\"message\":\"two:FAIL:x bad\\n\",\"failed\":true}]}]}\n");

    [Test]
    public void Json_strings_escape_as_upstream_but_stay_valid()
    {
        JsonSummary.Quote("a\tb\nc\rd\fe\bf\\g\"h'i\u0001é").ShouldBe("\"a\\tb\\nc\\rd\\fe\\bf\\\\g\\\"h'i\\u0001é\"");
        System.Text.Json.JsonDocument.Parse(JsonSummary.Render(Summary.Of([Mixed]), [Mixed with { Log = "'\u0002" }]));
    }

    [Test]
    public void Watchdog_notifies_once_then_kills_and_zero_disables()
    {
        WatchdogClock.Decide(TimeSpan.FromSeconds(9), 10, 120, false).ShouldBe(WatchdogAction.None);
        WatchdogClock.Decide(TimeSpan.FromSeconds(10), 10, 120, false).ShouldBe(WatchdogAction.Notify);
        WatchdogClock.Decide(TimeSpan.FromSeconds(11), 10, 120, true).ShouldBe(WatchdogAction.None);
        WatchdogClock.Decide(TimeSpan.FromSeconds(120), 10, 120, true).ShouldBe(WatchdogAction.Kill);
        WatchdogClock.Decide(TimeSpan.FromSeconds(5), 0, 5, false).ShouldBe(WatchdogAction.Kill);
        WatchdogClock.Decide(TimeSpan.FromHours(5), 10, 0, false).ShouldBe(WatchdogAction.None);
    }

    [Test]
    public void Watchdog_texts()
    {
        WatchdogClock.NotifyMessage(WatchdogClock.Name("t", "s"), 10).ShouldBe("WATCHDOG: test case t/s executes for 10 seconds...\n");
        WatchdogClock.KillMessage(WatchdogClock.Name("t", null), 120).ShouldBe("WATCHDOG: test case t executes for 120 seconds, terminating with SIGSEGV\n");
        WatchdogClock.Name(new string('a', 300), null).Length.ShouldBe(255);
    }
}
