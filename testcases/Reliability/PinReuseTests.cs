using BpfHarness;
using BpfHarness.Gates;
using BpfLoader.Diagnostics;
using BpfLoader.Kernel;
using BpfLoader.Maps;
using BpfLoader.Objects;
using BpfTests.Pinning;
using NUnit.Framework;
using Shouldly;

namespace BpfTests.Reliability;

/// <summary>
/// Map creation flags and pin reuse (issue 17's mutation pass): a pinned map that differs only in max_entries or
/// in its flags must be refused as libbpf refuses it, and BPF_F_NO_PREALLOC must reach the kernel.
/// </summary>
[NonParallelizable]
public class PinReuseTests
{
    private string _root = "";

    [SetUp]
    public void CreateRoot()
    {
        Gate.RequireFeature(PinningTests.BpffsMounted(), "bpffs", "pinning needs a bpf filesystem at /sys/fs/bpf");
        _root = Path.Combine("/sys/fs/bpf", $"bpftests-reuse-{Environment.ProcessId}-{Guid.NewGuid():N}"[..40]);
        Directory.CreateDirectory(_root);
    }

    [TearDown]
    public void RemoveRoot()
    {
        if (_root.Length > 0 && Directory.Exists(_root))
            Directory.Delete(_root, recursive: true);
    }

    private BpfObject LoadPinned(Action<BpfMap> adjust)
    {
        var obj = BpfObject.Open(Progs.Path("pinned"), new ObjectOpenOptions { PinRoot = _root });
        try
        {
            adjust(obj.Map("pinned_counts"));
            obj.Load();
            return obj;
        }
        catch
        {
            obj.Dispose();
            throw;
        }
    }

    private void RefusedAgainstThePin(Action<BpfMap> adjust)
    {
        LogCapture.Start().ShouldBe(0);
        var ex = Should.Throw<BpfException>(() => LoadPinned(adjust).Dispose());
        string log = LogCapture.Stop() ?? "";
        ex.Error.ShouldBe(-Errno.EINVAL);
        log.ShouldContain($"libbpf: couldn't reuse pinned map at '{_root}/pinned_counts': parameter mismatch\n");
    }

    [Test]
    public void PinDifferingOnlyInMaxEntriesIsRefused()
    {
        using (LoadPinned(_ => { }))
        {
        }
        RefusedAgainstThePin(m => m.MaxEntries = 32);
    }

    [Test]
    public void PinDifferingOnlyInFlagsIsRefused()
    {
        using (LoadPinned(m => m.Flags |= BpfFlags.NoPrealloc))
        {
        }
        // Same flags: reused. Without NO_PREALLOC: refused (so the first map really has the flag).
        using (var again = LoadPinned(m => m.Flags |= BpfFlags.NoPrealloc))
            MapInfo.Read(again.Map("pinned_counts").Fd)!.Flags.ShouldBe(BpfFlags.NoPrealloc);
        RefusedAgainstThePin(_ => { });
    }

    [Test]
    public void NoPreallocReachesTheKernel()
    {
        using var standalone = new BpfMap("noprealloc", BpfMapType.Hash, 4, 8, 8, BpfFlags.NoPrealloc);
        standalone.Create();
        MapInfo.Read(standalone.Fd)!.Flags.ShouldBe(BpfFlags.NoPrealloc);
        using var plain = new BpfMap("prealloc", BpfMapType.Hash, 4, 8, 8);
        plain.Create();
        MapInfo.Read(plain.Fd)!.Flags.ShouldBe(0u);
    }
}
