using BpfHarness.Gates;
using NUnit.Framework;

namespace BpfTests.Testmod;

// Inside the namespace, so that `Testmod` names the harness class rather than the namespace BpfTests.Testmod.
using BpfHarness.Testmod;

/// <summary>
/// Where bpf_testmod tests can run. The module is built per kernel and loaded only where the kernel
/// takes modules: inside vmtest (BPFTESTS_TESTMOD=path). Elsewhere — e.g. the host kernel, which has
/// no loadable module support — the feature gates skip with the reason; under BPFTESTS_NO_SKIP (set
/// by vmtest) a missing module or an unloadable kernel fails, as every gate does.
/// </summary>
internal static class TestmodEnvironment
{
    private const string RunsInVmtest = "bpf_testmod tests run inside vmtest (./run.sh vmtest)";

    public static void RequireModuleSupport()
    {
        var release = BpfHarness.Kernel.Release;
        Gate.RequireFeature(File.Exists("/proc/modules"), "loadable module support (/proc/modules)",
            $"kernel {release} has none; {RunsInVmtest}");
        Gate.RequireFeature(File.Exists(Testmod.ModulePath), $"{Testmod.ModulePath} built for kernel {release}", RunsInVmtest);
    }

    /// <summary>Module struct_ops (register_bpf_struct_ops, BPF_F_VTYPE_BTF_OBJ_FD) arrived in 6.9: older kernels skip.</summary>
    public static void RequireModuleStructOps() => Gate.RequireKernel("6.9", "needs kernel ≥ 6.9 (module struct_ops)");

    /// <summary>A fresh instance: unload any earlier one (already-unloaded is normal), then load.</summary>
    public static void LoadFresh()
    {
        Testmod.Unload(verbose: false, TextWriter.Null);
        var output = new StringWriter();
        var rc = Testmod.Load(verbose: true, output);
        Assert.That(rc, Is.Zero, output.ToString());
        Assert.That(output.ToString(), Is.EqualTo("Loading bpf_testmod.ko...\nSuccessfully loaded bpf_testmod.ko.\n"));
    }
}
