using BpfHarness;
using NUnit.Framework;
using Shouldly;
using static BpfHarness.TP;

namespace BpfTests.Harness;

/// <summary>test__start_subtest semantics: numbering, result lines, counting, filtering, isolation.</summary>
public class SubtestTests
{
    [Test]
    public void Subtest_lines_counts_and_test_result()
    {
        var run = TestRun.RunDetached("autocreate", () =>
        {
            Subtest("good", () => ASSERT_EQ(1, 1, "one", "good"));
            Subtest("bad", () => ASSERT_EQ(1, 2, "one", "bad"));
            Subtest("skipped", () => test__skip());
        }, number: 12);

        run.Output.ShouldBe(
            "good:PASS:one 0 nsec\n" +
            "#12/1    autocreate/good:OK\n" +
            "bad:FAIL:one unexpected one: actual 1 != expected 2\n" +
            "#12/2    autocreate/bad:FAIL\n" +
            "#12/3    autocreate/skipped:SKIP\n");
        run.Result.ShouldBe("FAIL");
        run.Subtests.Select(s => s.Result).ShouldBe(["OK", "FAIL", "SKIP"]);
        run.Subtests[1].Output.ShouldBe("bad:FAIL:one unexpected one: actual 1 != expected 2\n");
    }

    [Test]
    public void Upstream_style_start_subtest_ends_the_previous_one_and_the_test_end_closes_the_last()
    {
        var run = TestRun.RunDetached("t", () =>
        {
            if (test__start_subtest("a"))
                ASSERT_TRUE(true, "x", "a");
            if (test__start_subtest("b"))
                test__skip();
        }, number: 3);
        run.Output.ShouldBe("a:PASS:x 0 nsec\n#3/1     t/a:OK\n#3/2     t/b:SKIP\n");
        run.Result.ShouldBe("OK (SKIP: 1/2)");
    }

    [Test]
    public void All_subtests_skipped_is_SKIP_and_a_subtestless_skip_is_SKIP()
    {
        TestRun.RunDetached("t", () => { Subtest("a", () => test__skip()); Subtest("b", () => test__skip()); }).Result.ShouldBe("SKIP");
        TestRun.RunDetached("t", () => test__skip()).Result.ShouldBe("SKIP");
    }

    [Test]
    public void An_exception_fails_only_its_subtest_and_the_next_one_runs()
    {
        bool ranNext = false;
        var run = TestRun.RunDetached("t", () =>
        {
            Subtest("throws", () => throw new InvalidOperationException("boom"));
            Subtest("next", () => ranNext = true);
        });
        ranNext.ShouldBeTrue();
        run.Subtests.Select(s => s.Result).ShouldBe(["FAIL", "OK"]);
        run.Failures.ShouldBe(["throws:FAIL:exception InvalidOperationException: boom"]);
    }

    [Test]
    public void Filtered_subtests_do_not_run_but_keep_their_number()
    {
        var saved = TestRun.SubtestFilter;
        TestRun.SubtestFilter = (test, sub, num) => sub != "denied";
        try
        {
            bool ran = false;
            var run = TestRun.RunDetached("t", () =>
            {
                Subtest("denied", () => ran = true);
                Subtest("allowed", () => { });
            }, number: 7);
            ran.ShouldBeFalse();
            run.Output.ShouldBe("#7/2     t/allowed:OK\n");
            run.Subtests[0].Filtered.ShouldBeTrue();
        }
        finally
        {
            TestRun.SubtestFilter = saved;
        }
    }

    [Test]
    public void Test_level_failure_outside_subtests_counts_on_the_test()
    {
        var run = TestRun.RunDetached("t", () => { test__fail(); Subtest("a", () => { }); });
        run.ErrorCount.ShouldBe(1);
        run.Subtests[0].Result.ShouldBe("OK");
        run.Result.ShouldBe("FAIL");
    }

    [Test]
    public void Real_nunit_test_with_passing_subtests_is_bound_to_the_harness()
    {
        var run = TestRun.Current.ShouldNotBeNull();
        run.Name.ShouldBe(nameof(Real_nunit_test_with_passing_subtests_is_bound_to_the_harness));
        Subtest("first", () => ASSERT_EQ(2, 2, "two"));
        run.Subtests.Single().Result.ShouldBe("OK");
        run.Output.ShouldContain("/first:OK\n");
        run.Number.ShouldBeGreaterThan(0);
    }

    [Test]
    public void Result_line_formats()
    {
        ResultLines.Test(12, "foo", "OK").ShouldBe("#12      foo:OK\n");
        ResultLines.Subtest(12, 3, "foo", "bar", "OK").ShouldBe("#12/3    foo/bar:OK\n");
        ResultLines.Subtest(1234, 5678, "foo", "bar", "FAIL").ShouldBe("#1234/5678 foo/bar:FAIL\n");
        ResultLines.TestResult(0, 1, 4).ShouldBe("OK (SKIP: 1/4)");
    }
}
