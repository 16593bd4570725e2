using BpfHarness;
using BpfLoader.Diagnostics;
using BpfLoader.Interop;
using BpfLoader.Kernel;
using BpfLoader.Objects;
using BpfLoader.Programs;
using NUnit.Framework;
using Shouldly;

namespace BpfTests.Reliability.KernelFaults;

/// <summary>
/// Which refusals libbpf retries, proven by counting the BPF_PROG_LOAD commands that reach the seam: EAGAIN is
/// retried up to PROG_LOAD_ATTEMPTS (5) times per attempt (libbpf's sys_bpf_prog_load); EINTR is not retried
/// (libbpf has no EINTR loop around bpf(2)); any first refusal is retried once with a verifier log.
/// </summary>
[NonParallelizable]
public class ProgLoadRetryTests
{
    private static (BpfException? Error, BpfFaultPlan Plan, string Log) LoadMinimal(int errno, int times)
    {
        var plan = new BpfFaultPlan { FailAt = 1, Times = times, Errno = errno, Only = (int)BpfCommand.ProgLoad };
        LogCapture.Start().ShouldBe(0);
        BpfException? error = null;
        using (BpfFaultInjection.Install(plan))
        {
            try
            {
                using var obj = BpfObject.Open(Progs.Path("minimal"));
                obj.Load();
                obj.Programs[0].Fd.ShouldBeGreaterThanOrEqualTo(0);
            }
            catch (BpfException e)
            {
                error = e;
            }
        }
        return (error, plan, LogCapture.Stop() ?? "");
    }

    private static int ProgLoads(BpfFaultPlan plan) => plan.Calls.Count(c => c.Command == (int)BpfCommand.ProgLoad);

    [Test]
    public void Eagain_four_times_is_absorbed_by_the_fifth_attempt()
    {
        var (error, plan, log) = LoadMinimal(Errno.EAGAIN, times: 4);
        error.ShouldBeNull();
        ProgLoads(plan).ShouldBe(5, "4 refused + 1 accepted, no log retry needed");
        plan.Injected.ShouldBe(4);
        log.ShouldNotContain("BPF program load failed");
    }

    [Test]
    public void Eagain_five_times_exhausts_the_attempts_and_the_log_retry_loads()
    {
        var (error, plan, _) = LoadMinimal(Errno.EAGAIN, times: 5);
        error.ShouldBeNull();
        ProgLoads(plan).ShouldBe(6, "5 EAGAIN attempts without a log, then the retry with a log succeeds");
        plan.Injected.ShouldBe(5);
    }

    [Test]
    public void Eagain_ten_times_fails_with_eagain_after_both_rounds()
    {
        var (error, plan, log) = LoadMinimal(Errno.EAGAIN, times: 100);
        error.ShouldBeOfType<BpfProgramLoadException>().Error.ShouldBe(-Errno.EAGAIN);
        ProgLoads(plan).ShouldBe(2 * 5);
        log.ShouldContain("libbpf: prog 'count_syscalls': BPF program load failed: -EAGAIN\n");
        log.ShouldContain("libbpf: prog 'count_syscalls': failed to load: -EAGAIN\n");
    }

    [Test]
    public void Eintr_is_not_retried_beyond_the_log_retry()
    {
        var (error, plan, log) = LoadMinimal(Errno.EINTR, times: 100);
        error.ShouldBeOfType<BpfProgramLoadException>().Error.ShouldBe(-Errno.EINTR);
        ProgLoads(plan).ShouldBe(2, "once without a log, once with one");
        log.ShouldContain("BPF program load failed: -EINTR\n");
    }

    [Test]
    public void A_single_refusal_is_absorbed_by_the_log_retry()
    {
        var (error, plan, _) = LoadMinimal(Errno.EPERM, times: 1);
        error.ShouldBeNull();
        ProgLoads(plan).ShouldBe(2);
    }

    [Test]
    public void The_plan_is_not_seen_by_other_async_flows()
    {
        var plan = new BpfFaultPlan { FailAt = 1, Times = int.MaxValue / 2, Errno = Errno.EPERM };
        using (BpfFaultInjection.Install(plan))
        {
            // A flow started without the plan's ExecutionContext (as a parallel test's would be) loads normally.
            Exception? otherError = null;
            var other = new Thread(() =>
            {
                try
                {
                    using var obj = BpfObject.Open(Progs.Path("minimal"));
                    obj.Load();
                }
                catch (Exception e)
                {
                    otherError = e;
                }
            });
            using (ExecutionContext.SuppressFlow())
                other.Start();
            other.Join();
            otherError.ShouldBeNull();
            Should.Throw<BpfException>(() =>
            {
                using var obj = BpfObject.Open(Progs.Path("minimal"));
                obj.Load();
            });
        }
        plan.Calls.ShouldAllBe(c => c.Injected, "only this flow's commands reached the plan");
    }
}
