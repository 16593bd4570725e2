using System.Collections.Concurrent;
using BpfHarness.Leaks;
using NUnit.Framework;
using NUnit.Framework.Interfaces;
using NUnit.Framework.Internal;

namespace BpfHarness;

/// <summary>
/// The per-test environment of test_progs, as an NUnit action. Apply once per test assembly:
/// <c>[assembly: BpfTestHarness]</c>. Around every test it
/// <list type="number">
/// <item>installs the libbpf print hook (once) and makes the test the target of ASSERT and libbpf output;</item>
/// <item>snapshots /proc/self/fd and starts noting the ids of the BPF objects the test creates;</item>
/// <item>after the test (and its TearDown): ends an open subtest, discards a leftover libbpf log capture,
/// fails the test if it leaked BPF objects — fds, or objects kept alive by a pin or a struct_ops registration
/// (see <see cref="AllowLeaksAttribute"/>, <see cref="KernelObjectLeaks"/>) — makes NUnit's verdict
/// agree with test_progs' (errors beat skips; an all-skipped test is Skipped), and prints the
/// <c>#N name:RESULT</c> line.</item>
/// </list>
/// </summary>
[AttributeUsage(AttributeTargets.Assembly | AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false)]
public sealed class BpfTestHarnessAttribute : Attribute, ITestAction
{
    private static readonly ConcurrentDictionary<ITest, (TestRun Run, FdSnapshot Fds, KernelObjectLeaks Kernel)> Active = new(ReferenceEqualityComparer.Instance);

    public ActionTargets Targets => ActionTargets.Test;

    public void BeforeTest(ITest test)
    {
        LibbpfRouting.EnsureInstalled();
        var run = new TestRun(test.Name, TestNumbering.NumberOf(test), TestExecutionContext.CurrentContext);
        TestRun.Enter(run);
        Active[test] = (run, LeakCheck.Snapshot(), KernelObjectLeaks.Track());
    }

    public void AfterTest(ITest test)
    {
        if (!Active.TryRemove(test, out var entry))
            return;
        var (run, before, kernel) = entry;
        try
        {
            run.Complete();
            CheckLeaks(test, run, before, kernel);
            ApplyVerdict(run, TestExecutionContext.CurrentContext.CurrentResult);
            TestRun.Completed?.Invoke(run);
        }
        finally
        {
            TestRun.Exit(run);
        }
    }

    private static void CheckLeaks(ITest test, TestRun run, FdSnapshot before, KernelObjectLeaks kernel)
    {
        var report = LeakCheck.FindLeaks(before).With(kernel.Find());
        if (report.IsClean)
            return;
        if (AllowedLeakReason(test) is { } reason)
            run.Write($"leak_check: allowed ({reason}): {report.Message}\n");
        else
            run.Fail($"leak_check:FAIL: {report.Message}\n");
    }

    private static string? AllowedLeakReason(ITest test)
    {
        for (ITest? t = test; t is not null; t = t.Parent)
            if (t.Properties.Get(AllowLeaksAttribute.PropertyName) is string reason)
                return reason;
        return null;
    }

    // NUnit already failed the test for ASSERT failures recorded while its method ran. What remains:
    // failures recorded later (TearDown, leak check, other threads), errors hidden by a later
    // Assert.Ignore (test_progs: errors dominate skips), and tests that skipped via test__skip().
    private static void ApplyVerdict(TestRun run, TestResult result)
    {
        var status = result.ResultState.Status;
        if (run.ErrorCount > 0)
        {
            if (status != TestStatus.Failed)
            {
                result.SetResult(ResultState.Failure, string.Join("\n", run.Failures));
            }
            else
            {
                var message = result.Message ?? "";
                var missing = run.Failures.Where(f => !message.Contains(f, StringComparison.Ordinal)).ToList();
                if (missing.Count > 0)
                    result.SetResult(result.ResultState, string.Join("\n", [message, .. missing]).TrimStart('\n'), result.StackTrace);
            }
        }
        else if (status == TestStatus.Passed && run.Result == "SKIP")
        {
            result.SetResult(ResultState.Ignored, run.SkipReason ?? "skipped");
        }

        string line = result.ResultState.Status switch
        {
            TestStatus.Failed => "FAIL",
            TestStatus.Skipped when run.ErrorCount == 0 => "SKIP",
            _ => run.Result,
        };
        run.WriteResultLine(ResultLines.Test(run.Number, run.Name, line), live: false);
    }
}
