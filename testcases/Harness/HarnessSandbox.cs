using BpfHarness;
using BpfHarness.Gates;
using NUnit.Framework;
using static BpfHarness.TP;

namespace BpfTests.Harness;

/// <summary>What the sandbox tests leave behind for the checks to look at.</summary>
internal static class SandboxState
{
    internal static readonly List<int> LeakedFds = [];
    internal static bool? CaptureActiveInNextTest;
}

/// <summary>Closes <see cref="HarnessSandbox{T}"/> for the nested run.</summary>
public sealed class SandboxOn;

/// <summary>
/// Tests that fail, skip and leak on purpose, to prove what the harness makes NUnit report. The class
/// is an open generic so NUnit discovery never builds it (no noise in TRX); <see cref="HarnessEndToEndTests"/>
/// builds <c>HarnessSandbox&lt;SandboxOn&gt;</c> in a nested NUnit run and checks each verdict.
/// </summary>
public class HarnessSandbox<T>
{

    [Test]
    public void assert_fails_but_test_continues()
    {
        ASSERT_EQ(1, 2, "first");
        ASSERT_TRUE(true, "second_ran");
    }

    [Test]
    public void leaks_a_map() => Leak(RawSys.CreateArrayMap("counts"));

    [Test, AllowLeaks("sandbox: proves the opt-out")]
    public void leaks_a_map_allowed() => Leak(RawSys.CreateArrayMap("allowed"));

    [Test, RequiresKernel("99.0", "needs a kernel from the future")]
    public void needs_future_kernel() => ASSERT_FAIL("body must not run when the gate closes");

    [Test]
    public void needs_absent_feature() => BpfHarness.Gates.Gate.RequireFeature(false, "an absent feature", "needs it");

    [Test, Requires(KernelFeature.Root, "probe sanity")]
    public void needs_root() => ASSERT_TRUE(true, "ran");

    [Test]
    public void all_subtests_skip()
    {
        Subtest("a", () => test__skip());
        Subtest("b", () => test__skip());
    }

    [Test]
    public void some_subtests_skip()
    {
        Subtest("a", () => test__skip());
        Subtest("b", () => ASSERT_TRUE(true, "ok"));
    }

    [Test]
    public void error_then_ignore()
    {
        ASSERT_TRUE(false, "broken");
        Assert.Ignore("an Ignore after an error must not hide the error");
    }

    [Test, Order(1)]
    public void z1_leaves_capture_running() => LogCapture.Start();

    [Test, Order(2)]
    public void z2_sees_no_capture() => SandboxState.CaptureActiveInNextTest = LogCapture.IsActive;

    private static void Leak(int fd)
    {
        lock (SandboxState.LeakedFds)
            SandboxState.LeakedFds.Add(fd);
    }
}
