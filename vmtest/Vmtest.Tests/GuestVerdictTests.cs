using BpfTests.Vmtest.Provision;
using BpfTests.Vmtest.Run;
using NUnit.Framework;

namespace BpfTests.Vmtest.Tests;

/// <summary>
/// Real guests (QEMU TCG, kernel 6.12) that break in the ways the verdict must catch: each run must
/// be red and the report must show the console tail. One tiny guest each, never two at once.
/// </summary>
[TestFixture, NonParallelizable, Category("Guest")]
public class GuestVerdictTests
{
    private Provisioner _provisioner = null!;
    private string _artifacts = null!;

    [OneTimeSetUp]
    public void RequireRoot()
    {
        if (Environment.UserName != "root") Assert.Ignore("booting guests needs root (virtiofsd exports /)");
        var paths = VmtestPaths.Discover(TestContext.CurrentContext.TestDirectory);
        _provisioner = new Provisioner(paths, LockFile.Load(paths.LockFile), m => TestContext.Progress.WriteLine(m));
        _artifacts = Path.Combine(paths.ArtifactsRoot, "selftest");
    }

    private async Task<(KernelRunResult Result, string Report)> Boot(string name, string command, TimeSpan? hostTimeout = null)
    {
        var run = new KernelRun(_provisioner, new ConsoleProgress(TestContext.Progress));
        var r = await run.RunAsync(new RunRequest
        {
            Series = "6.12", Mode = TestMode.Shell, ShellCommand = command, UseDenyList = false,
            TestTimeout = TimeSpan.FromSeconds(600), HostTimeout = hostTimeout ?? TimeSpan.FromSeconds(30),
            ArtifactsDir = Path.Combine(_artifacts, name),
        });
        var w = new StringWriter();
        Report.Kernel(r, w);
        TestContext.Out.WriteLine(w.ToString());
        return (r, w.ToString());
    }

    [Test]
    public async Task APanicIsRed()
    {
        var (r, report) = await Boot("panic", "echo c > /proc/sysrq-trigger");
        Assert.That(r.Verdict.Passed, Is.False);
        Assert.That(r.Verdict.Problems, Has.Some.Contains("panic"));
        Assert.That(report, Does.Contain("--- console tail ---").And.Contain("sysrq"));
        Assert.That(r.Wall, Is.LessThan(TimeSpan.FromSeconds(30)), "a panic ends the VM at once");
    }

    [Test]
    public async Task AHangIsRedAtTheHostTimeout()
    {
        var (r, report) = await Boot("hang", "echo hanging; sleep 600", TimeSpan.FromSeconds(20));
        Assert.That(r.Vm.TimedOut);
        Assert.That(r.Verdict.Problems, Has.Some.StartsWith("host timeout"));
        Assert.That(r.Verdict.Problems, Has.Some.Contains("shutdown:clean"));
        Assert.That(report, Does.Contain("--- console tail ---").And.Contain("running tests"));
    }

    [Test]
    public async Task AGuestThatLeavesNoStatusFileIsRed()
    {
        // the VM powers off at once (sysrq o) after losing its status file: QEMU exits 0, yet red
        var (r, report) = await Boot("nostatus", "rm -f \"$BPFTESTS_WORK/status\"; echo o > /proc/sysrq-trigger; sleep 30");
        Assert.That(r.Vm.QemuExitCode, Is.Zero);
        Assert.That(r.Verdict.Problems, Has.Some.Contains("no status file"));
        Assert.That(report, Does.Contain("--- console tail ---"));
    }
}
