using BpfTests.Vmtest.Boot;
using BpfTests.Vmtest.Provision;
using BpfTests.Vmtest.Results;
using NUnit.Framework;

namespace BpfTests.Vmtest.Tests;

public class ParsingTests
{
    [Test]
    public void TheLockFilePinsTheMatrix()
    {
        var paths = VmtestPaths.Discover(TestContext.CurrentContext.TestDirectory);
        var l = LockFile.Load(paths.LockFile);
        Assert.That(l.Kernels.Select(k => k.Series), Is.EqualTo(new[] { "6.1", "6.12", "7.2" }));
        Assert.That(l.Kernel("7.2").BuildRoot, Is.EqualTo("sid"));
        Assert.That(l.Kernels.SelectMany(k => k.Packages).All(p => p.Version.Length > 0 && !p.Version.Contains(' ')));
        Assert.That(l.Qemu.Select(p => p.Name), Does.Contain("qemu-system-x86"));
        Assert.That(l.QemuSuite, Is.EqualTo("bookworm-backports"));
        Assert.That(l.BuildRoots.Single().Include, Does.Contain("gcc-16"));
        var libbpf = l.References.Single(r => r.Name == "libbpf-1.7");
        Assert.That(libbpf.Suite, Is.EqualTo("sid"));
        Assert.That(libbpf.Packages.Single(p => p.Name == "libbpf-dev").Version, Does.StartWith("1:1.7."));
    }

    [Test]
    public void LockFileErrorsNameTheLine()
    {
        var ex = Assert.Throws<Exec.VmtestException>(() => LockFile.Parse(["[kernel 6.1]", "suite bookworm"]));
        Assert.That(ex!.Message, Does.Contain(":2:"));
    }

    [Test]
    public void InitramfsModulesComeInDependencyOrder()
    {
        string[] dep =
        [
            "kernel/drivers/virtio/virtio.ko:",
            "kernel/drivers/virtio/virtio_ring.ko:",
            "kernel/drivers/virtio/virtio_pci.ko: kernel/drivers/virtio/virtio_pci_legacy_dev.ko kernel/drivers/virtio/virtio_pci_modern_dev.ko kernel/drivers/virtio/virtio_ring.ko kernel/drivers/virtio/virtio.ko",
            "kernel/fs/fuse/virtiofs.ko: kernel/drivers/virtio/virtio_ring.ko kernel/drivers/virtio/virtio.ko kernel/fs/fuse/fuse.ko",
            "kernel/drivers/misc/pvpanic/pvpanic-pci.ko.xz: kernel/drivers/misc/pvpanic/pvpanic.ko.xz",
        ];
        Assert.That(Initramfs.ResolveModules(dep, ["virtio_pci", "virtiofs", "overlay", "pvpanic_pci"]).Select(Path.GetFileName), Is.EqualTo(new[]
        {
            "virtio.ko", "virtio_ring.ko", "virtio_pci_modern_dev.ko", "virtio_pci_legacy_dev.ko", "virtio_pci.ko",
            "fuse.ko", "virtiofs.ko", "pvpanic.ko.xz", "pvpanic-pci.ko.xz",
        }));
    }

    [Test]
    public void TrxCountsFailuresAndSkips()
    {
        var f = Path.GetTempFileName();
        try
        {
            File.WriteAllText(f, """
                <?xml version="1.0" encoding="utf-8"?>
                <TestRun xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010">
                  <Results>
                    <UnitTestResult testName="A" outcome="Passed" />
                    <UnitTestResult testName="B" outcome="Failed" />
                    <UnitTestResult testName="C" outcome="NotExecuted" />
                  </Results>
                  <ResultSummary outcome="Failed"><Counters total="3" executed="2" passed="1" failed="1" error="0" timeout="0" aborted="0" /></ResultSummary>
                </TestRun>
                """);
            Assert.That(TrxSummary.Load(f) with { FailedTests = [] }, Is.EqualTo(new TrxSummary(3, 1, 1, 1, [])));
            Assert.That(TrxSummary.Load(f).FailedTests, Is.EqualTo(new[] { "B" }));
        }
        finally { File.Delete(f); }
    }

    [Test]
    public void AMissingSignalIsNeverGreen()
    {
        var clean = new GuestStatus(["started", "run:0", "shutdown:clean"]);
        var tests = new TrxSummary(1, 1, 0, 0, []);
        var ok = new VmExit(0, false, null, TimeSpan.FromSeconds(5));
        Assert.That(Verdict.Judge(ok, clean, tests, null, [], null).Passed);
        Assert.That(Verdict.Judge(ok, null, tests, null, [], null).Problems, Has.Some.Contains("no status file"));
        Assert.That(Verdict.Judge(ok, new GuestStatus(["started"]), tests, null, [], null).Problems, Has.Some.Contains("shutdown:clean"));
        Assert.That(Verdict.Judge(ok, clean, null, "no tests.trx", [], null).Problems, Has.Some.Contains("no test results"));
        Assert.That(Verdict.Judge(ok, clean, tests, null, [], "cannot read").Problems, Has.Some.Contains("splat scan could not run"));
        Assert.That(Verdict.Judge(ok, clean, tests, null, [new Splat("dmesg.txt", 1, "WARNING: x")], null).Problems, Has.Some.StartsWith("kernel_splats"));
        Assert.That(Verdict.Judge(ok with { QemuExitCode = 1 }, clean, tests, null, [], null).Problems, Has.Some.Contains("pvpanic"));
        Assert.That(Verdict.Judge(ok with { QemuExitCode = null, TimedOut = true }, clean, tests, null, [], null).Problems, Has.Some.Contains("host timeout"));
        Assert.That(Verdict.Judge(ok, clean, new TrxSummary(0, 0, 0, 0, []), null, [], null).Problems, Has.Some.EqualTo("ran no test"));
    }
}

public class TestProgsResultsTests
{
    [Test]
    public void Counts_come_from_the_json_and_the_test_lines_before_the_error_section()
    {
        var dir = Directory.CreateTempSubdirectory("tp-results-").FullName;
        try
        {
            var json = Path.Combine(dir, "test_progs.json");
            File.WriteAllText(json, "{\"success\":3,\"success_subtest\":1,\"skipped\":2,\"failed\":1,\"results\":[{\"name\":\"bad\",\"number\":2,\"message\":\"\",\"failed\":true,\"subtests\":[]}]}\n");
            string[] output =
            [
                "#1       a:OK", "x:FAIL:y z", "#2       bad:FAIL", "#3/1     c/s:SKIP", "#3       c:SKIP", "#4       d:OK (SKIP: 1/2)",
                "", "All error logs:", "#2       bad:FAIL", "Summary: 3/1 PASSED, 2 SKIPPED, 1 FAILED",
            ];
            var s = BpfTests.Vmtest.Results.TestProgsResults.Load(json, output);
            Assert.That(s with { FailedTests = [] }, Is.EqualTo(new BpfTests.Vmtest.Results.TrxSummary(4, 2, 1, 1, [])));
            Assert.That(s.FailedTests, Is.EqualTo(new[] { "bad" }));
            // a failed test_progs test keeps the kernel red, whatever the exit status said
            var verdict = Verdict.Judge(new VmExit(0, false, null, TimeSpan.FromSeconds(5)), new GuestStatus(["started", "run:0", "shutdown:clean"]), s, null, [], null);
            Assert.That(verdict.Problems, Has.Some.EqualTo("1 test(s) failed: bad"));
            Assert.That(BpfTests.Vmtest.Results.TestProgsResults.Classify("#3       c:SKIP"), Is.EqualTo('s'));
            Assert.That(BpfTests.Vmtest.Results.TestProgsResults.Classify("#3/1     c/s:SKIP"), Is.Null); // subtests are not counted
            Assert.That(BpfTests.Vmtest.Results.TestProgsResults.Classify("Summary: 3/1 PASSED, 2 SKIPPED, 1 FAILED"), Is.Null);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Test]
    public void With_every_test_in_the_json_the_counts_come_from_it_and_a_no_skip_gate_failure_is_red()
    {
        var dir = Directory.CreateTempSubdirectory("tp-results-").FullName;
        try
        {
            var json = Path.Combine(dir, "test_progs.json");
            // as the front end writes it with TEST_PROGS_JSON_TESTS=1 and BPFTESTS_NO_SKIP=1 (a closed gate is a FAIL)
            File.WriteAllText(json, "{\"success\":3,\"success_subtest\":1,\"skipped\":2,\"failed\":1,\"results\":[],\"tests\":[" +
                "{\"name\":\"a\",\"number\":1,\"fixture\":\"F\",\"result\":\"OK\",\"seconds\":0.1,\"log\":\"\"}," +
                "{\"name\":\"gated\",\"number\":2,\"fixture\":\"F\",\"result\":\"FAIL\",\"seconds\":0.1,\"reason\":\"requires x (BPFTESTS_NO_SKIP=1: ...)\",\"log\":\"\"}," +
                "{\"name\":\"c\",\"number\":3,\"fixture\":\"F\",\"result\":\"SKIP\",\"seconds\":0,\"log\":\"\"}," +
                "{\"name\":\"d\",\"number\":4,\"fixture\":\"F\",\"result\":\"OK (SKIP: 1/2)\",\"seconds\":0,\"log\":\"\"}]}\n");
            // the output lines are not needed (and -v runs list no failed tests in results)
            var s = BpfTests.Vmtest.Results.TestProgsResults.Load(json, []);
            Assert.That(s with { FailedTests = [] }, Is.EqualTo(new BpfTests.Vmtest.Results.TrxSummary(4, 2, 1, 1, [])));
            Assert.That(s.FailedTests, Is.EqualTo(new[] { "gated" }));
            var verdict = Verdict.Judge(new VmExit(0, false, null, TimeSpan.FromSeconds(5)), new GuestStatus(["started", "run:1", "shutdown:clean"]), s, null, [], null);
            Assert.That(verdict.Problems, Has.Some.EqualTo("1 test(s) failed: gated"));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Test]
    public void A_test_progs_run_without_a_summary_is_no_result()
    {
        var dir = Directory.CreateTempSubdirectory("tp-results-").FullName;
        try
        {
            var json = Path.Combine(dir, "test_progs.json");
            File.WriteAllText(json, "");
            Assert.That(() => BpfTests.Vmtest.Results.TestProgsResults.Load(json, []), Throws.InstanceOf<System.Text.Json.JsonException>());
        }
        finally { Directory.Delete(dir, true); }
    }
}
