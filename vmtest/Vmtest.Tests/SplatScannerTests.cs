using BpfTests.Vmtest.Results;
using NUnit.Framework;

namespace BpfTests.Vmtest.Tests;

public class SplatScannerTests
{
    private static readonly SplatScanner Scanner = new([
        ("module verification failed: signature and/or required key missing - tainting kernel", "unsigned bpf_testmod"),
    ]);

    [TestCase("[   12.345678] WARNING: CPU: 1 PID: 77 at kernel/bpf/verifier.c:1234 do_check+0x1/0x2")]
    [TestCase("[    3.000000] BUG: kernel NULL pointer dereference, address: 0000000000000008")]
    [TestCase("Oops: general protection fault, probably for non-canonical address")]
    [TestCase("[  100.1] watchdog: BUG: soft lockup - CPU#0 stuck for 22s! [test_progs:123]")]
    [TestCase("[  100.1] rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:")]
    [TestCase("[  240.0] INFO: task kworker/0:1:12 blocked for more than 120 seconds.")]
    [TestCase("[    9.9] UBSAN: array-index-out-of-bounds in net/core/filter.c:42:1")]
    [TestCase("[    9.9] kernel BUG at mm/slub.c:1000!")]
    [TestCase("[    9.9] Kernel panic - not syncing: sysrq triggered crash")]
    public void FindsSplats(string line)
    {
        var hits = Scanner.Scan(["[    1.0] ordinary line", line], "dmesg.txt");
        Assert.That(hits, Has.Count.EqualTo(1));
        Assert.That(hits[0], Is.EqualTo(new Splat("dmesg.txt", 2, line.Trim())));
    }

    [Test]
    public void IgnoresAllowedAndOrdinaryLines()
    {
        Assert.That(Scanner.Scan([
            "[    4.6] bpf_testmod: module verification failed: signature and/or required key missing - tainting kernel",
            "[    4.6] bpf_testmod: loading out-of-tree module taints kernel.",
            "[    3.8] clocksource: Watchdog remote CPU 1 read timed out",
        ], "console.log"), Is.Empty);
    }

    [Test]
    public void AllowListEntriesNeedAReason()
    {
        var f = Path.GetTempFileName();
        try
        {
            File.WriteAllText(f, "# header\nWARNING: foo  # why it is fine\nBUG: bar\n");
            var ex = Assert.Throws<FormatException>(() => SplatScanner.Load(f));
            Assert.That(ex!.Message, Does.EndWith(":3: allow-list entry without '# reason'"));
            File.WriteAllText(f, "# header\nWARNING: foo  # why it is fine\n");
            Assert.That(SplatScanner.Load(f).Allow, Is.EqualTo(new[] { ("WARNING: foo", "why it is fine") }));
        }
        finally { File.Delete(f); }
    }

    [Test]
    public void TheRepositorysAllowListLoads()
    {
        var paths = Provision.VmtestPaths.Discover(TestContext.CurrentContext.TestDirectory);
        Assert.That(SplatScanner.Load(Path.Combine(paths.DenyListDir, "splat-allowlist")).Allow, Is.Not.Empty);
    }
}
