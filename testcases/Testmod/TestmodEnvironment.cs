using NUnit.Framework;

namespace BpfTests.Testmod;

// Inside the namespace, so that `Testmod` names the harness class rather than the namespace BpfTests.Testmod.
using BpfHarness.Testmod;

/// <summary>
/// Where bpf_testmod tests can run. The module is built per kernel and loaded only where the kernel
/// takes modules: inside vmtest (BPFTESTS_VMTEST=1, BPFTESTS_TESTMOD=path). Elsewhere — e.g. the
/// host kernel, which has no loadable module support — the tests skip with the reason; in vmtest a
/// missing module or an unloadable kernel is a failure.
/// </summary>
internal static class TestmodEnvironment
{
    public static bool InVmtest => Environment.GetEnvironmentVariable("BPFTESTS_VMTEST") == "1";
    public static string Release => File.ReadAllText("/proc/sys/kernel/osrelease").Trim();

    public static void RequireModuleSupport()
    {
        string? missing = null;
        if (!File.Exists("/proc/modules")) missing = $"kernel {Release} has no loadable module support (no /proc/modules)";
        else if (!File.Exists(Testmod.ModulePath)) missing = $"no {Testmod.ModulePath} built for kernel {Release}";
        if (missing == null) return;
        if (InVmtest) Assert.Fail($"{missing}, but vmtest should provide it");
        Assert.Ignore($"{missing}: bpf_testmod tests run inside vmtest (./run.sh vmtest)");
    }

    /// <summary>Module struct_ops (register_bpf_struct_ops, BPF_F_VTYPE_BTF_OBJ_FD) arrived in 6.9: older kernels skip.</summary>
    public static void RequireModuleStructOps() => BpfHarness.Gates.Gate.RequireKernel("6.9", "needs kernel ≥ 6.9 (module struct_ops)");

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
