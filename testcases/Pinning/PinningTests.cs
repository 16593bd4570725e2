using BpfHarness;
using BpfHarness.Gates;
using BpfLoader.Diagnostics;
using BpfLoader.Objects;
using NUnit.Framework;
using Shouldly;

namespace BpfTests.Pinning;

/// <summary>Maps pinned by name under bpffs: a compatible pin is reused, an incompatible one refused.</summary>
[NonParallelizable]
public class PinningTests
{
    private string _root = "";

    internal static bool BpffsMounted()
    {
        static bool IsBpffs() => File.ReadLines("/proc/self/mounts").Any(l => l.Split(' ') is [_, "/sys/fs/bpf", "bpf", ..]);
        if (IsBpffs())
            return true;
        using var mount = System.Diagnostics.Process.Start("mount", "-t bpf bpf /sys/fs/bpf");
        mount!.WaitForExit(10_000);
        return IsBpffs();
    }

    [SetUp]
    public void CreateRoot()
    {
        Gate.RequireFeature(BpffsMounted(), "bpffs", "pinning needs a bpf filesystem at /sys/fs/bpf");
        _root = Path.Combine("/sys/fs/bpf", $"bpftests-{Environment.ProcessId}-{Guid.NewGuid():N}"[..40]);
        Directory.CreateDirectory(_root);
    }

    [TearDown]
    public void RemoveRoot()
    {
        if (_root.Length > 0 && Directory.Exists(_root))
            Directory.Delete(_root, recursive: true);   // unlinking a pin drops the reference
    }

    private void Bump(BpfObject obj) => obj.Program("bump").TestRun(context: new byte[8], repeat: 0, dataOutSize: 0);

    [Test]
    public void CompatiblePinnedMapIsReused()
    {
        var options = new ObjectOpenOptions { PinRoot = _root };
        using (var first = BpfObject.Open(Progs.Path("pinned"), options))
        {
            first.Load();
            File.Exists(Path.Combine(_root, "pinned_counts")).ShouldBeTrue("pinned at <root>/<map name>");
            Bump(first);
            Bump(first);
        }
        using var second = BpfObject.Open(Progs.Path("pinned"), options);
        second.Load();
        Bump(second);
        second.Map("pinned_counts").Lookup<uint, ulong>(1).ShouldBe(3ul, "the second object uses the first one's map");
    }

    [Test]
    public void IncompatiblePinnedMapIsRefused()
    {
        var options = new ObjectOpenOptions { PinRoot = _root };
        using (var first = BpfObject.Open(Progs.Path("pinned"), options))
            first.Load();
        using var other = BpfObject.Open(Progs.Path("pinned_other"), options);
        LogCapture.Start().ShouldBe(0);
        var ex = Should.Throw<BpfException>(() => other.Load());
        string log = LogCapture.Stop() ?? "";
        ex.Error.ShouldBe(-Errno.EINVAL);
        ex.Message.ShouldContain("map 'pinned_counts'");
        ex.Message.ShouldContain("incompatible");
        log.ShouldContain($"libbpf: couldn't reuse pinned map at '{_root}/pinned_counts': parameter mismatch\n");
        log.ShouldContain("libbpf: map 'pinned_counts': error reusing pinned map\n");
        other.Map("pinned_counts").IsCreated.ShouldBeFalse();
    }
}
