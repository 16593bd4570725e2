using BpfLoader.Btf;
using NUnit.Framework;
using Shouldly;
using static BpfTests.Btf.BtfSamples;
using BtfObj = BpfLoader.Btf.Btf;

namespace BpfTests.Btf;

/// <summary>BTF built with the Add* API: every kind, checked by re-parsing, bpftool and the kernel.</summary>
[TestFixture]
public class BtfSyntheticTests
{
    [Test]
    public void AllKindsAreCoveredAndRoundTripByteIdentical()
    {
        var bytes = AllKinds().ToBytes();
        var parsed = BtfObj.Parse(bytes, sourceName: "all-kinds.btf");
        parsed.ToBytes().ShouldBe(bytes);
        var kinds = Enumerable.Range(1, parsed.LastId).Select(i => parsed[i].Kind).ToHashSet();
        foreach (var kind in Enum.GetValues<BtfKind>().Where(k => k != BtfKind.Unknown))
            kinds.ShouldContain(kind);
    }

    [Test]
    public void RawDumpEqualsBpftool()
    {
        var bytes = AllKinds().ToBytes();
        var path = WriteTemp(bytes, "all-kinds.btf");
        var expected = BtfTestUtil.BpftoolRaw(path);
        var sw = new StringWriter();
        BtfObj.Parse(bytes).DumpRaw(sw);
        if (sw.ToString() != expected)
            Assert.Fail(BtfTestUtil.FirstDifference(expected, sw.ToString()));
    }

    [Test]
    public void RawDumpLinesOfEachKind()
    {
        var b = BtfObj.Parse(AllKinds().ToBytes());
        b.DumpRaw(Int).ShouldBe("[1] INT 'int' size=4 bits_offset=0 nr_bits=32 encoding=SIGNED");
        b.DumpRaw(Foo).ShouldBe("[7] STRUCT 'foo' size=24 vlen=5\n\t'a' type_id=1 bits_offset=0\n\t'bits' type_id=2 bits_offset=32 bitfield_size=3\n" +
            "\t'more' type_id=2 bits_offset=35 bitfield_size=5\n\t'p' type_id=6 bits_offset=64\n\t'arr' type_id=8 bits_offset=128");
        b.DumpRaw(PtrFoo).ShouldBe("[6] PTR '(anon)' type_id=7");
        b.DumpRaw(Func).ShouldBe("[21] FUNC 'do_foo' type_id=20 linkage=global");
        b.DumpRaw(DeclTagFunc).ShouldBe("[22] DECL_TAG 'tagged' type_id=21 component_idx=-1");
        b.DumpRaw(Big).ShouldBe("[12] ENUM64 'big' encoding=UNSIGNED size=8 vlen=2\n\t'HUGE' val=18446744073709551600ULL\n\t'ONE' val=1ULL");
        b.DumpRaw(SignedBig).ShouldBe("[13] ENUM64 'sbig' encoding=SIGNED size=8 vlen=1\n\t'MINUS' val=-1234567890123LL");
        b.DumpRaw(Signed).ShouldBe("[11] ENUM 'sgn' encoding=SIGNED size=4 vlen=2\n\t'NEG' val=-5\n\t'POS' val=7");
        b.DumpRaw(Datasec).ShouldBe("[28] DATASEC '.data' size=28 vlen=2\n\ttype_id=26 offset=0 size=4 (VAR 'global_var')\n\ttype_id=27 offset=4 size=24 (VAR 'static_var')");
        b.DumpRaw(GlobalVar).ShouldBe("[26] VAR 'global_var' type_id=1, linkage=global");
        b.DumpRaw(TypeTag).ShouldBe("[24] TYPE_TAG 'user' type_id=1");
        b.DumpRaw(DoubleT).ShouldBe("[5] FLOAT 'double' size=8");
        b.DumpRaw(FwdUnion).ShouldBe("[15] FWD 'baz' fwd_kind=union");
        b.DumpRaw(IntArray).ShouldBe("[8] ARRAY '(anon)' type_id=1 index_type_id=2 nr_elems=2");
    }

    [Test]
    public void KernelAcceptsTheWriterOutput()
    {
        KernelBtfLoad.TryLoad(AllKinds().ToBytes()).ShouldBeNull();
        // ...and rejects a corrupted variant, so the check above means something.
        var bad = BtfObj.Parse(AllKinds().ToBytes());
        bad.SetSize(Foo, 2);   // members now lie outside the struct
        KernelBtfLoad.TryLoad(bad.ToBytes()).ShouldNotBeNull();
    }

    [Test]
    public void TypedAccessorsDecodeEveryKind()
    {
        var b = BtfObj.Parse(AllKinds().ToBytes());
        b[Bool].IntEncoding.ShouldBe(BtfIntEncoding.Bool);
        b[CharT].IntBits.ShouldBe(8);
        var foo = b[Foo];
        foo.KindFlag.ShouldBeTrue();
        foo.Members.Count.ShouldBe(5);
        foo.Members[1].Name.ShouldBe("bits");
        foo.Members[1].BitOffset.ShouldBe(32u);
        foo.Members[1].BitfieldSize.ShouldBe(3u);
        foo.Members[3].Type.ShouldBe(PtrFoo);
        b[IntArray].Array.ShouldBe(new BtfArray(Int, UInt, 2));
        b[Color].EnumValues[2].Value.ShouldBe(0xffffffffL);
        b[Color].IsSigned.ShouldBeFalse();
        b[Signed].EnumValues[0].Value.ShouldBe(-5);
        b[Big].EnumValues[0].RawValue.ShouldBe(0xfffffffffffffff0UL);
        b[SignedBig].EnumValues[0].Value.ShouldBe(-1234567890123L);
        b[FwdUnion].IsUnionFwd.ShouldBeTrue();
        b[FwdStruct].IsUnionFwd.ShouldBeFalse();
        b[Proto].Params.Select(p => (p.Name, p.Type)).ShouldBe([("x", Int), ("p", PtrFoo)]);
        b[Func].FuncLinkage.ShouldBe(BtfFuncLinkage.Global);
        b[StaticFunc].FuncLinkage.ShouldBe(BtfFuncLinkage.Static);
        b[DeclTagParam].DeclTagComponentIndex.ShouldBe(1);
        b[StaticVar].VarLinkage.ShouldBe(BtfVarLinkage.Static);
        b[Datasec].DatasecVars.ShouldBe([new BtfVarSecInfo(GlobalVar, 0, 4), new BtfVarSecInfo(StaticVar, 4, 24)]);
        b[0].IsVoid.ShouldBeTrue();
        b[0].Kind.ShouldBe(BtfKind.Unknown);
        Should.Throw<InvalidOperationException>(() => _ = b[Int].Members);
        Should.Throw<ArgumentOutOfRangeException>(() => _ = b[b.LastId + 1]);
        b.TryGetType(-1, out _).ShouldBeFalse();
    }

    [Test]
    public void ResolveSizeAndSkipMods()
    {
        var b = BtfObj.Parse(AllKinds().ToBytes());
        b.SkipModsAndTypedefs(ConstVolatileInt).ShouldBe(Int);
        b.SkipModsAndTypedefs(FooT).ShouldBe(Foo);
        b.SkipModsAndTypedefs(TypeTag).ShouldBe(Int);
        b.SkipModsAndTypedefs(PtrFoo).ShouldBe(PtrFoo);
        b.ResolveSize(FooT).ShouldBe(24);
        b.ResolveSize(IntArray).ShouldBe(8);
        b.ResolveSize(ConstVolatileInt).ShouldBe(4);
        b.ResolveSize(GlobalVar).ShouldBe(4);
        b.ResolveSize(Datasec).ShouldBe(28);
        b.ResolveSize(DoubleT).ShouldBe(8);
        b.ResolveSize(RestrictPtr).ShouldBe(8);
        b.ResolveSize(Func).ShouldBe(-22);
        b.ResolveSize(FwdStruct).ShouldBe(-22);
        b.ResolveSize(0).ShouldBe(-22);
        b.ResolveSize(DeclTagFunc).ShouldBe(-22);   // the tag's target is a FUNC
    }

    [Test]
    public void ResolveSizeReportsOverflowAndDeepChains()
    {
        var b = BtfObj.CreateEmpty();
        int i = b.AddInt("int", 4, BtfIntEncoding.Signed);
        int big = b.AddArray(i, i, 0x40000000);   // 4 GiB
        b.ResolveSize(big).ShouldBe(-7);
        int chain = i;
        for (int n = 0; n < 40; n++)
            chain = b.AddConst(chain);
        b.ResolveSize(chain).ShouldBe(-22);   // deeper than libbpf's 32
        b.SkipModsAndTypedefs(chain).ShouldBe(i);
    }

    [Test]
    public void FindByNameOnSyntheticBtf()
    {
        var b = BtfObj.Parse(AllKinds().ToBytes());
        b.FindByName("foo", BtfKind.Struct).ShouldBe(Foo);
        b.FindByName("foo", BtfKind.Union).ShouldBe(-1);
        b.FindByName("do_foo", BtfKind.Func).ShouldBe(Func);
        b.FindByName(".data", BtfKind.Datasec).ShouldBe(Datasec);
        b.FindAllByName("int").ShouldBe([Int]);
        b.FindAllByName("nope").ShouldBeEmpty();
        // The index follows renames.
        b.SetName(Foo, "foo2");
        b.FindByName("foo", BtfKind.Struct).ShouldBe(-1);
        b.FindByName("foo2", BtfKind.Struct).ShouldBe(Foo);
    }

    [Test]
    public void AddStringDeduplicates()
    {
        var b = BtfObj.Parse(AllKinds().ToBytes());
        int len = b.StringSectionLength;
        b.AddString("foo").ShouldBe((int)b[Foo].NameOffset);
        b.StringSectionLength.ShouldBe(len);
        b.AddString("").ShouldBe(0);
        int off = b.AddString("brand_new");
        b.AddString("brand_new").ShouldBe(off);
        b.GetString((uint)off).ShouldBe("brand_new");
        b.StringSectionLength.ShouldBe(len + "brand_new".Length + 1);
        b.FindString("nope").ShouldBe(-1);
        Should.Throw<ArgumentException>(() => b.AddString("a\0b"));
    }

    [Test]
    public void CloneIsIndependentAndSharesBase()
    {
        var original = BtfObj.Parse(AllKinds().ToBytes());
        var before = original.ToBytes();
        var clone = original.Clone();
        clone.AddInt("long", 8, BtfIntEncoding.Signed);
        clone.SetName(Foo, "renamed");
        original.ToBytes().ShouldBe(before);
        original[Foo].Name.ShouldBe("foo");
        clone[Foo].Name.ShouldBe("renamed");
        clone.LastId.ShouldBe(original.LastId + 1);
        BtfObj.Parse(clone.ToBytes()).DumpRaw(original.LastId + 1).ShouldBe($"[{original.LastId + 1}] INT 'long' size=8 bits_offset=0 nr_bits=64 encoding=SIGNED");
    }

    [Test]
    public void SplitBtfOnSyntheticBase()
    {
        var baseBytes = AllKinds().ToBytes();
        var baseBtf = BtfObj.Parse(baseBytes, sourceName: "base");
        var split = BtfObj.CreateEmpty(baseBtf, "split");
        split.StartId.ShouldBe(baseBtf.LastId + 1);
        int s = split.AddStruct("split_s", 32, [new("f", Foo, 0), new("extra", Int, 192)]);
        s.ShouldBe(baseBtf.LastId + 1);
        split.AddPtr(s);
        int proto = split.AddFuncProto(Int, [new("arg", s + 1)]);
        split.AddFunc("split_fn", proto, BtfFuncLinkage.Global);
        // Strings already in the base are reused, not duplicated.
        split.AddString("foo").ShouldBe((int)baseBtf[Foo].NameOffset);
        split[s].Members[0].Name.ShouldBe("f");

        var splitBytes = split.ToBytes();
        var reparsed = BtfObj.Parse(splitBytes, baseBtf, "split.btf");
        reparsed.ToBytes().ShouldBe(splitBytes);
        reparsed.Base.ShouldBeSameAs(baseBtf);
        reparsed.StartId.ShouldBe(baseBtf.LastId + 1);
        reparsed.LastId.ShouldBe(baseBtf.LastId + 4);
        reparsed[Foo].Name.ShouldBe("foo");              // base id through the split BTF
        reparsed[s].Members[1].Name.ShouldBe("extra");   // own string
        reparsed.FindByName("foo", BtfKind.Struct).ShouldBe(Foo);
        reparsed.FindByName("split_fn", BtfKind.Func).ShouldBe(s + 3);
        reparsed.FindOwnByName("foo", BtfKind.Struct).ShouldBe(-1);
        reparsed.FindAllByName("int").ShouldBe([Int]);
        reparsed.ResolveSize(s + 1).ShouldBe(8);
        Should.Throw<ArgumentOutOfRangeException>(() => reparsed.SetSize(Foo, 1));   // base types are not editable here
        Should.Throw<InvalidOperationException>(() => baseBtf.AddString("grow_the_base"));

        var basePath = WriteTemp(baseBytes, "split-base.btf");
        var splitPath = WriteTemp(splitBytes, "split.btf");
        var sw = new StringWriter();
        reparsed.DumpRaw(sw);
        sw.ToString().ShouldBe(BtfTestUtil.BpftoolRaw(splitPath, basePath));
    }

    [Test]
    public void SplitBtfOnVmlinux()
    {
        var vmlinux = BtfObj.KernelVmlinux;
        var split = BtfObj.CreateEmpty(vmlinux, "mod");
        int task = vmlinux.FindByName("task_struct", BtfKind.Struct);
        int p = split.AddPtr(task);
        int s = split.AddStruct("my_mod_struct", 8, [new("task", p, 0)]);
        var bytes = split.ToBytes();
        var reparsed = BtfObj.Parse(bytes, vmlinux, "mod.btf");
        reparsed.ToBytes().ShouldBe(bytes);
        reparsed[s].Members[0].Type.ShouldBe(p);
        reparsed[reparsed[p].Type].Name.ShouldBe("task_struct");
        reparsed.FindByName("task_struct", BtfKind.Struct).ShouldBe(task);
        var sw = new StringWriter();
        reparsed.DumpRaw(sw);
        sw.ToString().ShouldBe(BtfTestUtil.BpftoolRaw(WriteTemp(bytes, "mod.btf"), BtfTestUtil.VmlinuxPath));
    }

    [Test]
    public void ForwardReferenceThatNeverAppearsIsRejectedOnWrite()
    {
        var b = BtfObj.CreateEmpty();
        b.AddPtr(5);
        Should.Throw<InvalidOperationException>(() => b.ToBytes()).Message.ShouldContain("type [1] PTR references type [5]");
    }
}
