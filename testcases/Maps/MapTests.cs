using BpfLoader.Diagnostics;
using BpfLoader.Kernel;
using BpfLoader.Maps;
using BpfLoader.Objects;
using NUnit.Framework;
using Shouldly;

namespace BpfTests.Maps;

/// <summary>Map creation and element operations against the running kernel.</summary>
public class MapTests
{
    [Test]
    public void StandaloneHashMapSupportsCrudAndIteration()
    {
        using var map = new BpfMap("crud_hash", BpfMapType.Hash, 4, 8, 16);
        map.Create();
        map.Fd.ShouldBeGreaterThan(0);
        for (uint k = 1; k <= 5; k++)
            map.Update(k, (ulong)k * 100);
        map.Lookup<uint, ulong>(3).ShouldBe(300ul);
        map.Update(3u, 333ul, BpfFlags.Exist);
        map.Lookup<uint, ulong>(3).ShouldBe(333ul);
        map.Keys().Select(k => BitConverter.ToUInt32(k)).Order().ShouldBe([1u, 2u, 3u, 4u, 5u]);
        map.Delete(2u).ShouldBeTrue();
        map.Delete(2u).ShouldBeFalse();
        map.TryLookup(2u, out ulong _).ShouldBeFalse();
        var ex = Should.Throw<BpfSyscallException>(() => map.Update(1u, 1ul, BpfFlags.NoExist));
        ex.Error.ShouldBe(-Errno.EEXIST);
        ex.Message.ShouldContain("crud_hash");
    }

    [Test]
    public void ArrayMapRejectsOutOfRangeKeysAndWrongSizes()
    {
        using var map = new BpfMap("crud_array", BpfMapType.Array, 4, 4, 4);
        map.Create();
        map.Lookup<uint, uint>(3).ShouldBe(0u); // arrays are zero-filled
        map.Update(3u, 0xfeedu);
        map.Lookup<uint, uint>(3).ShouldBe(0xfeedu);
        Should.Throw<BpfSyscallException>(() => map.Update(4u, 1u)).Error.ShouldBe(-Errno.E2BIG);
        var wrong = Should.Throw<BpfException>(() => map.Update(1ul, 1u));
        wrong.Message.ShouldContain("key has 8 bytes, the map's keys have 4");
    }

    [Test]
    public void PerCpuArrayHoldsOneValuePerPossibleCpu()
    {
        using var map = new BpfMap("percpu_arr", BpfMapType.PercpuArray, 4, 8, 2);
        map.Create();
        var values = Enumerable.Range(0, PossibleCpus.Count).Select(i => (ulong)(i + 1) * 11).ToArray();
        map.UpdatePerCpu(1u, (ReadOnlySpan<ulong>)values);
        map.LookupPerCpu<uint, ulong>(1u).ShouldBe(values);
        map.LookupPerCpu<uint, ulong>(0u)!.ShouldAllBe(v => v == 0ul);
    }

    [Test]
    public void PerCpuHashRoundsValuesToEightBytes()
    {
        using var map = new BpfMap("percpu_hash", BpfMapType.PercpuHash, 4, 4, 4);
        map.Create();
        map.KernelValueSize.ShouldBe(8 * PossibleCpus.Count);
        var values = Enumerable.Range(0, PossibleCpus.Count).Select(i => (uint)(0xa0 + i)).ToArray();
        map.UpdatePerCpu(9u, (ReadOnlySpan<uint>)values);
        map.LookupPerCpu<uint, uint>(9u).ShouldBe(values);
        map.LookupPerCpu<uint, uint>(10u).ShouldBeNull();
    }

    [Test]
    public void BtfDefinedMapsAreCreatedAsDeclared()
    {
        using var obj = BpfObject.Open(Progs.Path("maps"));
        var counters = obj.Map("counters");
        (counters.Type, counters.KeySize, counters.ValueSize, counters.MaxEntries).ShouldBe((BpfMapType.Hash, 4u, 8u, 64u));
        obj.Map("sized_by_numbers").Flags.ShouldBe(BpfFlags.NoPrealloc);
        obj.Map("recent").Type.ShouldBe(BpfMapType.LruHash);
        var outer = obj.Map("outer");
        outer.Type.ShouldBe(BpfMapType.ArrayOfMaps);
        outer.InnerMap.ShouldNotBeNull().Type.ShouldBe(BpfMapType.Array);
        obj.Load();
        foreach (var map in obj.Maps)
        {
            var info = MapInfo.Read(map.Fd).ShouldNotBeNull($"map '{map.Name}' has no kernel info");
            (info.Type, info.KeySize, info.ValueSize, info.MaxEntries).ShouldBe((map.Type, map.KeySize, map.ValueSize, map.MaxEntries), $"map '{map.Name}'");
            info.Name.ShouldBe(map.Name[..Math.Min(15, map.Name.Length)]);
        }
        MapInfo.Read(counters.Fd)!.BtfValueTypeId.ShouldBeGreaterThan(0u, "BTF value type passed to the kernel");
    }

    [Test]
    public void ProgramUpdatesMapsIncludingMapInMapSlots()
    {
        using var obj = BpfObject.Open(Progs.Path("maps"));
        obj.Load();
        var prog = obj.Program("touch_maps");
        var packet = new byte[64];
        prog.TestRun(packet).ReturnValue.ShouldBe(2u /* XDP_PASS */);
        prog.TestRun(packet, repeat: 3);
        obj.Map("counters").Lookup<uint, ulong>(7).ShouldBe(4ul);
        obj.Map("percpu_hits").LookupPerCpu<uint, ulong>(1u)!.Sum(v => (long)v).ShouldBe(4);
        // outer[1] was initialised to inner_b from the ELF; the program wrote through it.
        obj.Map("inner_b").Lookup<uint, uint>(0).ShouldBe(40u);
        obj.Map("inner_a").Lookup<uint, uint>(0).ShouldBe(0u);
        int innerId = obj.Map("outer").Lookup<uint, int>(1);
        innerId.ShouldBe((int)MapInfo.Read(obj.Map("inner_b").Fd)!.Id);
    }
}
