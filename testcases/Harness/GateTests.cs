using BpfHarness;
using BpfHarness.Gates;
using NUnit.Framework;
using Shouldly;

namespace BpfTests.Harness;

/// <summary>Kernel/feature gates as a unit: decisions, messages, and their effect on a (detached) test.</summary>
public class GateTests
{
    private static readonly KernelVersion Old = KernelVersion.Parse("6.1.0-28-amd64");

    [Test]
    public void Older_kernel_skips_with_the_reason()
    {
        var d = Gate.EvaluateKernel(Old, "6.9", "struct_ops in modules");
        d.Outcome.ShouldBe(GateOutcome.Skip);
        d.Message.ShouldBe("requires kernel >= 6.9 (running 6.1.0): struct_ops in modules");
    }

    [Test]
    public void Under_no_skip_an_old_kernel_still_skips_but_a_missing_feature_fails()
    {
        // The version gate encodes the matrix's expected skips (6.1 has no module struct_ops): no-skip leaves it alone.
        bool saved = HarnessSettings.NoSkip;
        HarnessSettings.NoSkip = true;
        try
        {
            TestRun.RunDetached("t", () => Gate.CheckKernel("999.0", "struct_ops in modules").ShouldBeFalse()).Result.ShouldBe("SKIP");
        }
        finally
        {
            HarnessSettings.NoSkip = saved;
        }
        var d = Gate.EvaluateFeature(false, "bpf_testmod.ko loaded", "struct_ops in modules", noSkip: true);
        d.Outcome.ShouldBe(GateOutcome.Fail);
        d.Message.ShouldBe("requires bpf_testmod.ko loaded: struct_ops in modules " +
                           "(BPFTESTS_NO_SKIP=1: in vmtest, a skip on a kernel that should have the feature fails)");
    }

    [TestCase("6.1", GateOutcome.Run)]
    [TestCase("6.1.0", GateOutcome.Run)]
    [TestCase("6.1.1", GateOutcome.Skip)]
    [TestCase("5.15", GateOutcome.Run)]
    public void Version_boundaries(string minimum, GateOutcome expected) =>
        Gate.EvaluateKernel(Old, minimum, "r").Outcome.ShouldBe(expected);

    [Test]
    public void Missing_feature_skips_or_fails()
    {
        Gate.EvaluateFeature(false, "bpf_testmod.ko loaded", "needs testmod kfuncs", false)
            .ShouldBe(new GateDecision(GateOutcome.Skip, "requires bpf_testmod.ko loaded: needs testmod kfuncs"));
        Gate.EvaluateFeature(false, "x", "y", true).Outcome.ShouldBe(GateOutcome.Fail);
        Gate.EvaluateFeature(true, "x", "y", true).Outcome.ShouldBe(GateOutcome.Run);
    }

    [Test]
    public void A_skip_decision_marks_the_test_skipped_and_logs_why()
    {
        var d = Gate.EvaluateKernel(Old, "6.9", "r");
        var run = TestRun.RunDetached("t", () => Gate.Apply(d, "gated").ShouldBeFalse());
        run.Result.ShouldBe("SKIP");
        run.ErrorCount.ShouldBe(0);
        run.Output.ShouldBe("gated:SKIP: requires kernel >= 6.9 (running 6.1.0): r\n");
    }

    [Test]
    public void A_fail_decision_fails_the_test()
    {
        var d = Gate.EvaluateFeature(false, "x", "r", noSkip: true);
        var run = TestRun.RunDetached("t", () => Gate.Apply(d, "gated"));
        run.Result.ShouldBe("FAIL");
        run.Failures.Single().ShouldStartWith("gated:FAIL: requires x: r (BPFTESTS_NO_SKIP=1");
    }

    [Test]
    public void Enforce_inside_a_subtest_skips_only_that_subtest()
    {
        var d = Gate.EvaluateKernel(Old, "6.9", "r");
        var run = TestRun.RunDetached("t", () =>
        {
            TP.Subtest("gated", () => Gate.Enforce(d, "gated"));
            TP.Subtest("free", () => TP.ASSERT_TRUE(true, "ran", "free"));
        });
        run.Subtests.Select(s => s.Result).ShouldBe(["SKIP", "OK"]);
        run.Result.ShouldBe("OK (SKIP: 1/2)");
    }

    [Test]
    public void Probes_see_this_machine()
    {
        // The suite runs as root (run.sh insists), and a kernel without an open gate would be a bug here.
        TestRun.RunDetached("t", () => Gate.Check(KernelFeature.Root, "r").ShouldBeTrue()).ErrorCount.ShouldBe(0);
        TestRun.RunDetached("t", () => Gate.CheckKernel("4.0", "r").ShouldBeTrue()).Result.ShouldBe("OK");
    }

    [Test]
    public void A_malformed_minimum_version_is_rejected_when_the_attribute_is_made() =>
        Should.Throw<FormatException>(() => new RequiresKernelAttribute("six.nine", "r"));

    [TestCase("1", true)]
    [TestCase("YES", true)]
    [TestCase("0", false)]
    [TestCase("", false)]
    [TestCase(null, false)]
    public void No_skip_switch_parses_the_environment_value(string? value, bool expected) =>
        HarnessSettings.ParseNoSkip(value).ShouldBe(expected);
}
