using BpfLoader.Btf;
using NUnit.Framework;
using Shouldly;
using static BpfTests.Btf.BtfTestUtil;
using BtfObj = BpfLoader.Btf.Btf;

namespace BpfTests.Btf;

/// <summary>The running kernel's BTF: round trip, lookups and the raw dump against bpftool.</summary>
[TestFixture]
public class BtfVmlinuxTests
{
    private static string? _bpftoolDump;
    private static string BpftoolDump => _bpftoolDump ??= BpftoolRaw(VmlinuxPath);

    [Test]
    public void LoadFileRoundTripsByteIdentical()
    {
        var expected = File.ReadAllBytes(VmlinuxPath);
        var btf = BtfObj.LoadFile(VmlinuxPath);
        btf.StartId.ShouldBe(1);
        btf.LastId.ShouldBeGreaterThan(1000);
        btf.ToBytes().AsSpan().SequenceEqual(expected).ShouldBeTrue();
    }

    [Test]
    public void ParseOfManagedCopyRoundTripsAndAgreesWithLoadFile()
    {
        var bytes = File.ReadAllBytes(VmlinuxPath);
        var parsed = BtfObj.Parse(bytes, sourceName: "vmlinux-copy");
        parsed.ToBytes().AsSpan().SequenceEqual(bytes).ShouldBeTrue();
        parsed.LastId.ShouldBe(BtfObj.KernelVmlinux.LastId);
        parsed.StringsEnd.ShouldBe(BtfObj.KernelVmlinux.StringsEnd);
    }

    [Test]
    public void CowCopyWritesTheSameBytes()
    {
        // Forces the managed copy-on-write path, then writes it: the writer must not depend on the raw input.
        var bytes = File.ReadAllBytes(VmlinuxPath);
        var btf = BtfObj.Parse(bytes);
        btf.EnsureWritable();
        btf.ToBytes().AsSpan().SequenceEqual(bytes).ShouldBeTrue();
        btf.Clone().ToBytes().AsSpan().SequenceEqual(bytes).ShouldBeTrue();
    }

    [Test]
    public void KernelVmlinuxIsSharedAndReadOnly()
    {
        var a = BtfObj.KernelVmlinux;
        ReferenceEquals(a, BtfObj.KernelVmlinux).ShouldBeTrue();
        a.IsReadOnly.ShouldBeTrue();
        Should.Throw<InvalidOperationException>(() => a.AddString("some new string that is not there"));
        int sized = a.FindByName("task_struct", BtfKind.Struct);   // type [1] differs between kernels; pick one with a size
        Should.Throw<InvalidOperationException>(() => a.SetSize(sized, 4));
        var clone = a.Clone();
        clone.IsReadOnly.ShouldBeFalse();
        clone.AddInt("my_test_int", 4, BtfIntEncoding.Signed).ShouldBe(a.LastId + 1);
        a.TypeCount.ShouldBe(a.LastId + 1);
    }

    [Test]
    public void ParseAllocatesLittleManagedMemory()
    {
        BtfObj.LoadFile(VmlinuxPath); // warm up JIT and statics
        long before = GC.GetAllocatedBytesForCurrentThread();
        var btf = BtfObj.LoadFile(VmlinuxPath);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        TestContext.Out.WriteLine($"vmlinux: {btf.OwnTypeCount} types, {allocated} bytes allocated by parse");
        allocated.ShouldBeLessThan(2L * 1024 * 1024);
        allocated.ShouldBeLessThan(btf.OwnTypeCount * 4L + 64 * 1024); // essentially just the offsets array
    }

    [Test]
    public void TaskStructPidMatchesBpftool()
    {
        var btf = BtfObj.KernelVmlinux;
        int id = btf.FindByName("task_struct", BtfKind.Struct);
        id.ShouldBeGreaterThan(0);
        var t = btf[id];
        t.Kind.ShouldBe(BtfKind.Struct);
        t.Name.ShouldBe("task_struct");
        var pid = t.Members.Single(m => m.Name == "pid");

        var block = SplitRawDump(BpftoolDump)[id];
        block.ShouldStartWith($"[{id}] STRUCT 'task_struct' size={t.Size} vlen={t.Vlen}");
        block.ShouldContain($"\n\t'pid' type_id={pid.Type} bits_offset={pid.BitOffset}\n");
        btf[btf.SkipModsAndTypedefs(pid.Type)].Kind.ShouldBe(BtfKind.Int);
        btf.ResolveSize(pid.Type).ShouldBe(4);
        btf.ResolveSize(id).ShouldBe(t.Size);
    }

    [Test]
    public void FindByNameFollowsLibbpfConventions()
    {
        var btf = BtfObj.KernelVmlinux;
        btf.FindByName("void", BtfKind.Struct).ShouldBe(0);
        btf.FindByName("task_struct", BtfKind.Unknown).ShouldBe(0);
        btf.FindByName("no_such_type_anywhere_42", BtfKind.Struct).ShouldBe(-1);
        btf.FindByName("task_struct", BtfKind.Union).ShouldBe(-1);
        int intId = btf.FindByName("int", BtfKind.Int);
        btf[intId].IntEncoding.ShouldBe(BtfIntEncoding.Signed);
        btf[intId].IntBits.ShouldBe(32);

        // FindAllByName agrees with a brute-force scan.
        var all = btf.FindAllByName("task_struct").ToList();
        var brute = Enumerable.Range(1, btf.LastId).Where(i => btf[i].NameOffset != 0 && btf[i].Name == "task_struct").ToList();
        all.ShouldBe(brute);
        all.ShouldContain(btf.FindByName("task_struct", BtfKind.Struct));
    }

    [Test]
    public void FindByNameReturnsLowestIdOfEachKind()
    {
        var btf = BtfObj.KernelVmlinux;
        // For a sample of named types, the index must return the first id with that name and kind.
        var firstSeen = new Dictionary<(string, BtfKind), int>();
        for (int id = 1; id <= btf.LastId; id += 7)
        {
            var t = btf[id];
            if (t.NameOffset != 0)
                firstSeen.TryAdd((t.Name, t.Kind), id);
        }
        foreach (var ((name, kind), _) in firstSeen.Take(3000))
        {
            int expected = Enumerable.Range(1, btf.LastId).First(i => btf[i].Kind == kind && btf[i].NameOffset != 0 && btf[i].Name == name);
            btf.FindByName(name, kind).ShouldBe(expected, $"{kind} '{name}'");
        }
    }

    [Test]
    public void ResolveSizeOfArraysPointersAndErrors()
    {
        var btf = BtfObj.KernelVmlinux;
        btf.PointerSize.ShouldBe(8);
        btf.ResolveSize(0).ShouldBe(-22);
        int checkedArrays = 0;
        for (int id = 1; id <= btf.LastId && checkedArrays < 200; id++)
        {
            var t = btf[id];
            if (t.Kind == BtfKind.Array)
            {
                long elem = btf.ResolveSize(t.Array.ElemType);
                if (elem < 0)
                    continue;
                btf.ResolveSize(id).ShouldBe(elem * t.Array.NElems);
                checkedArrays++;
            }
            else if (t.Kind == BtfKind.Ptr)
                btf.ResolveSize(id).ShouldBe(8);
            else if (t.Kind is BtfKind.Func or BtfKind.FuncProto or BtfKind.Fwd)
                btf.ResolveSize(id).ShouldBe(-22);
        }
        checkedArrays.ShouldBe(200);
    }

    [Test]
    public void RawDumpOfWholeVmlinuxEqualsBpftool()
    {
        var sw = new StringWriter();
        BtfObj.KernelVmlinux.DumpRaw(sw);
        var ours = sw.ToString();
        if (ours != BpftoolDump)
            Assert.Fail("raw dump differs from bpftool: " + FirstDifference(BpftoolDump, ours));
    }

    [Test]
    public void RawDumpOfSampledIdsOfEveryKindEqualsBpftool()
    {
        var btf = BtfObj.KernelVmlinux;
        var reference = SplitRawDump(BpftoolDump);
        var perKind = new Dictionary<BtfKind, int>();
        var rng = new Random(1234);
        for (int id = 1; id <= btf.LastId; id++)
        {
            var kind = btf[id].Kind;
            perKind.TryGetValue(kind, out int n);
            // The first 25 of each kind plus a random 1% of the rest.
            if (n < 25 || rng.Next(100) == 0)
            {
                btf.DumpRaw(id).ShouldBe(reference[id]);
                perKind[kind] = n + 1;
            }
        }
        // Every kind the kernel emits must have been compared at least once.
        foreach (var kind in new[] { BtfKind.Int, BtfKind.Ptr, BtfKind.Array, BtfKind.Struct, BtfKind.Union, BtfKind.Enum,
                     BtfKind.Fwd, BtfKind.Typedef, BtfKind.Const, BtfKind.Func, BtfKind.FuncProto })
            perKind.ShouldContainKey(kind);
    }

    [Test]
    public void ModuleBtfsRoundTripAsSplitBtf()
    {
        var modules = Directory.GetFiles("/sys/kernel/btf").Where(p => Path.GetFileName(p) != "vmlinux").ToArray();
        if (modules.Length == 0)
            Assert.Ignore("this kernel exposes no module BTF under /sys/kernel/btf");
        var vmlinux = BtfObj.KernelVmlinux;
        foreach (var path in modules)
        {
            var btf = BtfObj.LoadFile(path, vmlinux);
            btf.StartId.ShouldBe(vmlinux.LastId + 1);
            btf.ToBytes().AsSpan().SequenceEqual(File.ReadAllBytes(path)).ShouldBeTrue(path);
            var sw = new StringWriter();
            btf.DumpRaw(sw);
            sw.ToString().ShouldBe(BpftoolRaw(path, VmlinuxPath), path);
        }
    }
}
