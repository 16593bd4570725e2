using BpfHarness.Gates;
using BpfLoader.Interop;
using BpfLoader.Maps;
using BpfLoader.Objects;
using BpfLoader.StructOps;
using NUnit.Framework;

namespace BpfTests.Harness;

/// <summary>What the leak sandbox leaves behind, for <see cref="LeakProofTests"/> to clean up.</summary>
internal static class LeakSandboxState
{
    internal static readonly List<int> LeakedFds = [];
    internal static string PinRoot => $"/sys/fs/bpf/bpftests-leak-{Environment.ProcessId}";
    internal static uint? RegisteredStructOpsMapId;

    /// <summary>Registering a TCP congestion control is system-wide: on the shared host it would clash with other runs.</summary>
    internal static bool InVmtest => Environment.GetEnvironmentVariable("BPFTESTS_VMTEST") == "1";
}

/// <summary>
/// Tests that leak on purpose, each in one way the leak check must see: an fd of a loaded program, and a map
/// kept alive by its pin after every fd is closed; one that pins and cleans up must stay green. An open generic,
/// so normal discovery never runs it; <see cref="LeakProofTests"/> runs it in a nested NUnit run.
/// </summary>
public class LeakSandbox<T>
{
    [Test]
    public void leaks_a_program_fd()
    {
        using var obj = BpfObject.Open(Progs.Path("minimal"));
        obj.Load();
        int fd = Native.DupCloexec(obj.Program("count_syscalls").Fd);
        lock (LeakSandboxState.LeakedFds)
            LeakSandboxState.LeakedFds.Add(fd);
    }

    [Test]
    public void leaks_a_pinned_map()
    {
        // Every fd is closed when the object is disposed; the pin alone keeps the map.
        using var obj = BpfObject.Open(Progs.Path("pinned"), new ObjectOpenOptions { PinRoot = LeakSandboxState.PinRoot });
        obj.Load();
    }

    [Test]
    public void leaks_a_struct_ops_registration()
    {
        Gate.RequireFeature(LeakSandboxState.InVmtest, "a vmtest guest", "registers a TCP congestion control system-wide");
        using var obj = BpfObject.Open(Progs.Path("tcp_ca_plain"));
        obj.Load();
        // A plain .struct_ops map registers on its update; closing every fd leaves the registration holding it.
        var map = obj.Map("ca_plain");
        StructOpsAttach.WriteValue(map, tolerateBusy: false);
        LeakSandboxState.RegisteredStructOpsMapId = MapInfo.Read(map.Fd)!.Id;
    }

    [Test]
    public void pins_and_unpins()
    {
        using (var obj = BpfObject.Open(Progs.Path("pinned"), new ObjectOpenOptions { PinRoot = LeakSandboxState.PinRoot + "-clean" }))
            obj.Load();
        Directory.Delete(LeakSandboxState.PinRoot + "-clean", recursive: true);
    }
}
