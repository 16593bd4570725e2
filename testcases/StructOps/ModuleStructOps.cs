using BpfHarness.Gates;
using BpfLoader.Btf;
using BpfLoader.Kernel;

namespace BpfTests.StructOps;

// Inside the namespace, so that `Testmod` names the harness class rather than the namespace BpfTests.Testmod.
using BpfHarness.Testmod;

/// <summary>
/// What the ported struct_ops tests need: a kernel with struct_ops types registered by modules (≥ 6.9, the
/// expected SKIP of 6.1) and our bpf_testmod loaded with its types (loaded here once if it is not; a
/// missing module fails under BPFTESTS_NO_SKIP, i.e. in vmtest).
/// </summary>
internal static class ModuleStructOps
{
    public const string KernelReason = "needs kernel ≥ 6.9 (module struct_ops)";

    /// <summary>Checked for every test: module tests elsewhere in the suite load and unload bpf_testmod.</summary>
    private static bool ModuleReady()
    {
        if (!Testmod.IsLoaded && File.Exists("/proc/modules") && File.Exists(Testmod.ModulePath))
            Testmod.Load(verbose: false, TextWriter.Null);
        return KernelBtfs.Module("bpf_testmod")?.Btf.FindOwnByName("bpf_struct_ops_bpf_testmod_ops", BtfKind.Struct) > 0;
    }

    public static void Require()
    {
        Gate.RequireKernel("6.9", KernelReason);
        Gate.RequireFeature(ModuleReady(), "bpf_testmod with its struct_ops types (/sys/kernel/btf/bpf_testmod)",
            "module struct_ops tests run where bpf_testmod can be loaded (vmtest)");
    }
}
