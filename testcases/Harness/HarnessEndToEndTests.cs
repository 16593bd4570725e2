using BpfHarness;
using NUnit.Framework;
using NUnit.Framework.Interfaces;
using Shouldly;

namespace BpfTests.Harness;

/// <summary>
/// Runs <see cref="HarnessSandbox{T}"/> through a nested NUnit run of this assembly (so the real
/// [assembly: BpfTestHarness] action wraps it) and checks the verdict NUnit records for each test:
/// this is what shows up in TRX.
/// </summary>
[NonParallelizable]
public class HarnessEndToEndTests
{
    private static ITestResult RunSandbox()
    {
        try
        {
            return NestedRun.Run(typeof(HarnessSandbox<SandboxOn>));
        }
        finally
        {
            // The sandbox leaks on purpose; close what it leaked so this test does not inherit it.
            lock (SandboxState.LeakedFds)
            {
                foreach (int fd in SandboxState.LeakedFds)
                    RawSys.Close(fd);
                SandboxState.LeakedFds.Clear();
            }
        }
    }

    private static ITestResult Find(ITestResult root, string name) => NestedRun.Find(root, name);

    private ITestResult _all = null!;

    [OneTimeSetUp]
    public void RunAll() => _all = RunSandbox();

    [Test]
    public void Assert_failure_makes_the_test_red_with_the_FAIL_line_and_the_test_continued()
    {
        var r = Find(_all, "assert_fails_but_test_continues");
        r.ResultState.ShouldBe(ResultState.Failure);
        r.Message.ShouldContain("assert_fails_but_test_continues:FAIL:first unexpected first: actual 1 != expected 2");
        r.Output.ShouldContain("assert_fails_but_test_continues:PASS:second_ran 0 nsec\n");
        r.Output.ShouldEndWith(":FAIL\n");
    }

    [Test]
    public void Leak_check_in_AfterTest_turns_the_test_red_and_names_the_map()
    {
        var r = Find(_all, "leaks_a_map");
        r.ResultState.Status.ShouldBe(TestStatus.Failed);
        r.Message.ShouldMatch(@"leak_check:FAIL: leaked BPF objects: map 'counts' \(id \d+, fd \d+\)");
    }

    [Test]
    public void Allowed_leak_passes_and_is_still_reported_in_the_output()
    {
        var r = Find(_all, "leaks_a_map_allowed");
        r.ResultState.ShouldBe(ResultState.Success);
        r.Output.ShouldMatch(@"leak_check: allowed \(sandbox: proves the opt-out\): leaked BPF objects: map 'allowed' \(id \d+, fd \d+\)");
    }

    [Test]
    public void Closed_gate_is_Skipped_with_the_reason_and_the_body_does_not_run()
    {
        var r = Find(_all, "needs_future_kernel");
        r.ResultState.Status.ShouldBe(TestStatus.Skipped);
        r.Message.ShouldBe($"requires kernel >= 99.0 (running {Kernel.Version}): needs a kernel from the future");
        r.Output.ShouldNotContain("must not run");
        r.Output.ShouldEndWith(":SKIP\n");
    }

    [Test]
    public void Open_gate_runs_the_test() => Find(_all, "needs_root").ResultState.ShouldBe(ResultState.Success);

    [Test]
    public void Closed_gate_under_no_skip_fails_the_test()
    {
        bool saved = HarnessSettings.NoSkip;
        HarnessSettings.NoSkip = true;
        try
        {
            var all = RunSandbox();
            var r = Find(all, "needs_absent_feature");
            r.ResultState.Status.ShouldBe(TestStatus.Failed);
            r.Message.ShouldContain("requires an absent feature: needs it (BPFTESTS_NO_SKIP=1: in vmtest, a skip on a kernel that should have the feature fails)");
            Find(all, "needs_future_kernel").ResultState.Status.ShouldBe(TestStatus.Skipped, "a too-old kernel is an expected skip of the matrix");
        }
        finally
        {
            HarnessSettings.NoSkip = saved;
        }
    }

    [Test]
    public void All_subtests_skipped_is_Skipped_and_a_partial_skip_passes()
    {
        var all = Find(_all, "all_subtests_skip");
        all.ResultState.Status.ShouldBe(TestStatus.Skipped);
        all.Output.ShouldEndWith(":SKIP\n");
        var some = Find(_all, "some_subtests_skip");
        some.ResultState.ShouldBe(ResultState.Success);
        some.Output.ShouldEndWith(":OK (SKIP: 1/2)\n");
    }

    [Test]
    public void Errors_dominate_a_later_ignore()
    {
        var r = Find(_all, "error_then_ignore");
        r.ResultState.Status.ShouldBe(TestStatus.Failed);
        r.Message.ShouldContain("error_then_ignore:FAIL:broken unexpected broken: got FALSE");
    }

    [Test]
    public void A_capture_left_running_by_one_test_is_gone_in_the_next()
    {
        Find(_all, "z1_leaves_capture_running").ResultState.ShouldBe(ResultState.Success);
        Find(_all, "z2_sees_no_capture").ResultState.ShouldBe(ResultState.Success);
        SandboxState.CaptureActiveInNextTest.ShouldBe(false);
    }
}
