using BpfLoader.Interop;
using NUnit.Framework;

namespace BpfTests.Testmod;

// Inside the namespace, so that `Testmod` names the harness class rather than the namespace BpfTests.Testmod.
using BpfHarness.Testmod;

/// <summary>
/// bpf_testmod itself and its life cycle (test_progs.md §13, testcases.md §7). Serial: every test
/// loads and unloads the one module.
/// </summary>
[TestFixture, NonParallelizable]
public class TestmodTests
{
    [TearDown]
    public void UnloadModule() => Testmod.Unload(verbose: false, TextWriter.Null);

    [Test]
    public void LoadsAndUnloads()
    {
        TestmodEnvironment.RequireModuleSupport();
        TestmodEnvironment.LoadFresh();
        Assert.That(Testmod.IsLoaded, "/sys/module/bpf_testmod after load");
        Assert.That(Testmod.HasTestmod, "HasTestmod after load");

        var output = new StringWriter();
        Assert.That(Testmod.Unload(verbose: true, out _, output), Is.Zero, output.ToString());
        Assert.That(output.ToString(), Is.EqualTo("Successfully unloaded bpf_testmod.ko.\n"));
        Assert.That(Testmod.IsLoaded, Is.False, "/sys/module/bpf_testmod after unload");
        Assert.That(Testmod.HasTestmod, Is.False, "HasTestmod after unload");

        output = new StringWriter();
        Assert.That(Testmod.Unload(verbose: true, out _, output), Is.EqualTo(-1));
        Assert.That(output.ToString(), Is.EqualTo("bpf_testmod.ko is already unloaded.\n"));
    }

    /// <summary>Runs anywhere: open fails before the kernel is asked.</summary>
    [Test]
    public void LoadOfAMissingFileSaysSo()
    {
        var output = new StringWriter();
        Assert.That(Testmod.Load(verbose: false, output, "/nonexistent/bpf_testmod.ko"), Is.EqualTo(-2));
        Assert.That(output.ToString(), Is.EqualTo("Can't find bpf_testmod.ko kernel module: -2\n"));
    }

    [Test]
    public void HasModuleBtf()
    {
        TestmodEnvironment.RequireModuleSupport();
        TestmodEnvironment.LoadFresh();
        // every kernel of the matrix has CONFIG_DEBUG_INFO_BTF_MODULES and our build adds .BTF
        Assert.That(File.Exists("/sys/kernel/btf/bpf_testmod"), "/sys/kernel/btf/bpf_testmod");
    }

    [Test]
    public void TriggerFileFailsWithEio()
    {
        TestmodEnvironment.RequireModuleSupport();
        TestmodEnvironment.LoadFresh();
        Assert.That(TriggerFile.Read(), Is.EqualTo(-5), "read of /sys/kernel/bpf_testmod");
        Assert.That(TriggerFile.Write(), Is.EqualTo(-5), "write of /sys/kernel/bpf_testmod");
    }

    [Test]
    public void RegistersStructOpsTypes()
    {
        TestmodEnvironment.RequireModuleSupport();
        TestmodEnvironment.RequireModuleStructOps();
        TestmodEnvironment.LoadFresh();
        Assert.That(ModuleStructOpsMap.FindModuleStruct("bpf_struct_ops_bpf_testmod_ops"), Is.Not.Null);
        Assert.That(ModuleStructOpsMap.FindModuleStruct("bpf_struct_ops_bpf_testmod_ops2"), Is.Not.Null);
    }

    /// <summary>
    /// A struct_ops map of a module type holds a module reference: delete_module says EAGAIN while
    /// it lives. A bounded unload runs out with upstream's messages (and never hangs); after the map
    /// is freed (asynchronously, after RCU) the retrying unload succeeds.
    /// </summary>
    [Test]
    public void UnloadWaitsWhileAStructOpsMapHoldsTheModule()
    {
        TestmodEnvironment.RequireModuleSupport();
        TestmodEnvironment.RequireModuleStructOps();
        TestmodEnvironment.LoadFresh();
        var map = ModuleStructOpsMap.Create();
        var mapOpen = true;
        try
        {
            var output = new StringWriter();
            var rc = Testmod.Unload(verbose: true, out var retries, output, maxRetries: 200);
            Assert.That(rc, Is.EqualTo(-1), output.ToString());
            Assert.That(output.ToString(), Is.EqualTo("Unload of bpf_testmod timed out\nFailed to unload bpf_testmod.ko from kernel: -11\n"));
            Assert.That(retries, Is.EqualTo(201));
            Assert.That(Testmod.IsLoaded, "still loaded while the map holds it");

            // The unload starts while the map still holds the module and keeps retrying; the map is
            // released 100 ms later. Upstream's bound (10000 × 100 µs) outlasts that comfortably.
            output = new StringWriter();
            var unload = Task.Run(() => (Testmod.Unload(verbose: true, out var n, output), n));
            Thread.Sleep(100);
            Native.Close(map);
            mapOpen = false;
            (rc, retries) = unload.GetAwaiter().GetResult();
            TestContext.Out.WriteLine($"EAGAIN retries before the unload succeeded: {retries}");
            Assert.That(retries, Is.GreaterThan(0), "delete_module said EAGAIN while the map held the module");
            Assert.That(rc, Is.Zero, output.ToString());
            Assert.That(output.ToString(), Is.EqualTo("Successfully unloaded bpf_testmod.ko.\n"));
            Assert.That(Testmod.IsLoaded, Is.False);
        }
        finally
        {
            // a failed assertion must not leave the module pinned for the tests after this one
            if (mapOpen) Native.Close(map);
        }
    }
}
