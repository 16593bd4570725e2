using BpfLoader.Interop;
using BpfLoader.Objects;
using NUnit.Framework;

namespace BpfTests.Harness;

/// <summary>What the leak sandbox leaves behind, for <see cref="LeakProofTests"/> to clean up.</summary>
internal static class LeakSandboxState
{
    internal static readonly List<int> LeakedFds = [];
    internal static string PinRoot => $"/sys/fs/bpf/bpftests-leak-{Environment.ProcessId}";
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
    public void pins_and_unpins()
    {
        using (var obj = BpfObject.Open(Progs.Path("pinned"), new ObjectOpenOptions { PinRoot = LeakSandboxState.PinRoot + "-clean" }))
            obj.Load();
        Directory.Delete(LeakSandboxState.PinRoot + "-clean", recursive: true);
    }
}
