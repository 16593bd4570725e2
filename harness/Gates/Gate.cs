using System.Runtime.CompilerServices;
using NUnit.Framework;

namespace BpfHarness.Gates;

/// <summary>What a gate decides: run the test, skip it, or fail it (a skip under BPFTESTS_NO_SKIP=1).</summary>
public enum GateOutcome
{
    /// <summary>The requirement is met: the test runs.</summary>
    Run,
    /// <summary>The requirement is missing: the test is skipped with the reason.</summary>
    Skip,
    /// <summary>The requirement is missing where it must not be (BPFTESTS_NO_SKIP=1): the test fails.</summary>
    Fail,
}

/// <summary>What a gate decided and, unless it is Run, the text shown as skip reason or failure.</summary>
public readonly record struct GateDecision(GateOutcome Outcome, string Message);

/// <summary>
/// Kernel version and feature gates. A missing requirement skips the test (NUnit Ignored, shown as
/// Skipped in TRX) with the reason. With <c>BPFTESTS_NO_SKIP=1</c> (<see cref="HarnessSettings.NoSkip"/>)
/// it fails instead: in vmtest the kernel is chosen to have every feature, so a skip there is a bug.
/// <c>Require*</c> stop the test (or a <see cref="TestRun.Subtest"/> body); <c>Check*</c> return false after
/// marking the current subtest/test skipped (test__skip) or failed, for upstream-style
/// <c>if (!Gate.CheckKernel(...)) return;</c>.
/// </summary>
public static class Gate
{
    /// <summary>Appended to a failure that would have been a skip without BPFTESTS_NO_SKIP=1.</summary>
    public const string NoSkipNote = "BPFTESTS_NO_SKIP=1: in vmtest, a skip on a kernel that should have the feature fails";

    // ---- pure decisions (unit-testable) ------------------------------------------------------------

    /// <summary>
    /// A kernel older than <paramref name="minimum"/> genuinely lacks the feature: that is the expected SKIP of the
    /// kernel matrix (6.1 has no module struct_ops), so it stays a skip even under no-skip. Only feature gates, which a
    /// kernel of the right version must pass, turn into failures.
    /// </summary>
    public static GateDecision EvaluateKernel(KernelVersion running, string minimum, string reason)
    {
        var required = KernelVersion.Parse(minimum);
        return running >= required
            ? new GateDecision(GateOutcome.Run, "")
            : new GateDecision(GateOutcome.Skip, $"requires kernel >= {minimum} (running {running}): {reason}");
    }

    /// <summary>Run when <paramref name="available"/>; otherwise skip with <paramref name="reason"/>, or fail under <paramref name="noSkip"/>.</summary>
    public static GateDecision EvaluateFeature(bool available, string feature, string reason, bool noSkip) =>
        available ? new GateDecision(GateOutcome.Run, "") : Missing($"requires {feature}: {reason}", noSkip);

    private static GateDecision Missing(string text, bool noSkip) =>
        noSkip ? new GateDecision(GateOutcome.Fail, $"{text} ({NoSkipNote})") : new GateDecision(GateOutcome.Skip, text);

    // ---- throwing forms: for attributes and test bodies ----------------------------------------------

    /// <summary>Skips the test (or subtest) unless the running kernel is at least <paramref name="minimum"/>.</summary>
    public static void RequireKernel(string minimum, string reason, [CallerMemberName] string func = "") =>
        Enforce(EvaluateKernel(Kernel.Version, minimum, reason), func);

    /// <summary>Skips the test (or subtest), or fails it under BPFTESTS_NO_SKIP=1, unless <paramref name="feature"/> is available.</summary>
    public static void Require(KernelFeature feature, string reason, [CallerMemberName] string func = "") =>
        Enforce(EvaluateFeature(KernelFeatureProbe.IsAvailable(feature), KernelFeatureProbe.Describe(feature), reason, HarnessSettings.NoSkip), func);

    /// <summary>Gate on a feature probed elsewhere (e.g. by the loader); <paramref name="feature"/> names it.</summary>
    public static void RequireFeature(bool available, string feature, string reason, [CallerMemberName] string func = "") =>
        Enforce(EvaluateFeature(available, feature, reason, HarnessSettings.NoSkip), func);

    /// <summary>Applies a decision: nothing for Run; logs and throws Ignore for Skip; logs a FAIL line and throws for Fail.</summary>
    public static void Enforce(GateDecision decision, string func)
    {
        if (!Apply(decision, func))
            throw decision.Outcome == GateOutcome.Skip ? new IgnoreException(decision.Message) : new AssertionException(decision.Message);
    }

    // ---- non-throwing forms: test__skip() style -----------------------------------------------------

    /// <summary>As <see cref="RequireKernel"/>, but returns false (after test__skip) instead of throwing.</summary>
    public static bool CheckKernel(string minimum, string reason, [CallerMemberName] string func = "") =>
        Apply(EvaluateKernel(Kernel.Version, minimum, reason), func);

    /// <summary>As <see cref="Require"/>, but returns false (after test__skip or a failure) instead of throwing.</summary>
    public static bool Check(KernelFeature feature, string reason, [CallerMemberName] string func = "") =>
        Apply(EvaluateFeature(KernelFeatureProbe.IsAvailable(feature), KernelFeatureProbe.Describe(feature), reason, HarnessSettings.NoSkip), func);

    /// <summary>
    /// Applies a decision without throwing; returns true when the test may go on. Skip: prints
    /// <c>func:SKIP: message</c> and marks the subtest/test skipped. Fail: prints <c>func:FAIL: message</c>
    /// and records the error.
    /// </summary>
    public static bool Apply(GateDecision decision, string func)
    {
        var run = TestRun.CurrentOrTransient();
        switch (decision.Outcome)
        {
            case GateOutcome.Run:
                return true;
            case GateOutcome.Skip:
                run.Write($"{func}:SKIP: {decision.Message}\n");
                run.Skip(decision.Message);
                return false;
            default:
                run.Fail($"{func}:FAIL: {decision.Message}\n");
                return false;
        }
    }
}
