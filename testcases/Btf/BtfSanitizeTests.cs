using BpfLoader.Btf;
using NUnit.Framework;
using Shouldly;
using static BpfTests.Btf.BtfSamples;
using BtfObj = BpfLoader.Btf.Btf;

namespace BpfTests.Btf;

/// <summary>In-place edits and the libbpf-style sanitizer rewrites: output must re-parse and load into the kernel.</summary>
[TestFixture]
public class BtfSanitizeTests
{
    private static BtfObj Fresh() => BtfObj.Parse(AllKinds().ToBytes(), sourceName: "sanitize");

    private static BtfObj Reparse(BtfObj b)
    {
        var bytes = b.ToBytes();
        var again = BtfObj.Parse(bytes, sourceName: "reparsed");
        again.ToBytes().ShouldBe(bytes);
        return again;
    }

    [Test]
    public void FullLegacySanitizationLoadsIntoKernel()
    {
        // What libbpf does for a kernel without VAR/DATASEC, FUNC, FLOAT, DECL_TAG, TYPE_TAG and ENUM64.
        var b = Fresh();
        int placeholder = b.AddInt("enum64_placeholder", 4);
        b.ReplaceVarWithInt(GlobalVar);
        b.ReplaceVarWithInt(StaticVar);
        b.ReplaceDatasecWithStruct(Datasec);
        b.ReplaceFuncWithTypedef(Func);
        b.ReplaceFuncWithTypedef(StaticFunc);
        b.ReplaceFuncProtoWithEnum(Proto);
        b.ReplaceFuncProtoWithEnum(VoidProto);
        b.ReplaceFloatWithStruct(DoubleT);
        b.ReplaceDeclTagWithInt(DeclTagFunc);
        b.ReplaceDeclTagWithInt(DeclTagParam);
        b.ReplaceDeclTagWithInt(DeclTagStructMember);
        b.ReplaceTypeTagWithConst(TypeTag);
        b.ReplaceEnum64WithUnion(Big, placeholder);
        b.ReplaceEnum64WithUnion(SignedBig, placeholder);

        var r = Reparse(b);
        r.DumpRaw(GlobalVar).ShouldBe("[26] INT 'global_var' size=1 bits_offset=0 nr_bits=8 encoding=(none)");
        r.DumpRaw(Datasec).ShouldBe("[28] STRUCT '_data' size=28 vlen=2\n\t'global_var' type_id=26 bits_offset=0\n\t'static_var' type_id=27 bits_offset=32");
        r.DumpRaw(Func).ShouldBe("[21] TYPEDEF 'do_foo' type_id=20");
        r.DumpRaw(Proto).ShouldBe("[20] ENUM '(anon)' encoding=UNSIGNED size=4 vlen=2\n\t'x' val=1\n\t'p' val=6");
        r.DumpRaw(DoubleT).ShouldBe("[5] STRUCT '(anon)' size=8 vlen=0");
        r.DumpRaw(DeclTagFunc).ShouldBe("[22] INT '(anon)' size=1 bits_offset=0 nr_bits=8 encoding=(none)");
        r.DumpRaw(TypeTag).ShouldBe("[24] CONST '(anon)' type_id=1");
        r.DumpRaw(Big).ShouldBe($"[12] UNION 'big' size=8 vlen=2\n\t'HUGE' type_id={placeholder} bits_offset=0\n\t'ONE' type_id={placeholder} bits_offset=0");
        for (int id = 1; id <= r.LastId; id++)
            r[id].Kind.ShouldNotBeOneOf(BtfKind.Var, BtfKind.Datasec, BtfKind.Func, BtfKind.FuncProto, BtfKind.Float,
                BtfKind.DeclTag, BtfKind.TypeTag, BtfKind.Enum64);
        KernelBtfLoad.TryLoad(r.ToBytes()).ShouldBeNull();
    }

    [Test]
    public void GlobalDataFixupsSizeOffsetsAndOrder()
    {
        // clang leaves DATASEC size/offsets for libbpf to fill from the ELF symbol table.
        var b = Fresh();
        b.SetDatasecVar(Datasec, 0, new BtfVarSecInfo(GlobalVar, 24, 4));
        b.SetDatasecVar(Datasec, 1, new BtfVarSecInfo(StaticVar, 0, 24));
        b.SortDatasecVars(Datasec);
        b.SetVarLinkage(StaticVar, BtfVarLinkage.GlobalAllocated);
        b.SetSize(Datasec, 32);
        var r = Reparse(b);
        r[Datasec].DatasecVars.ShouldBe([new BtfVarSecInfo(StaticVar, 0, 24), new BtfVarSecInfo(GlobalVar, 24, 4)]);
        r[Datasec].Size.ShouldBe(32u);
        r[StaticVar].VarLinkage.ShouldBe(BtfVarLinkage.GlobalAllocated);
        KernelBtfLoad.TryLoad(r.ToBytes()).ShouldBeNull();
    }

    [Test]
    public void ArgCtxFallbackClonesPrototypeWithNewParamType()
    {
        // libbpf's arg:ctx rewrite: a copy of the FUNC_PROTO whose first parameter becomes a pointer to another type.
        var b = Fresh();
        int ctx = b.AddStruct("bpf_ctx_stub", 8, [new("x", Int, 0)]);
        int ctxPtr = b.AddPtr(ctx);
        var oldParams = b[Proto].Params.Select(p => new BtfParamSpec(p.Name, p.Type)).ToArray();
        int proto = b.AddFuncProto(b[Proto].Type, oldParams);
        b.SetParamType(proto, 0, ctxPtr);
        b.SetParamName(proto, 1, "renamed");
        b.SetType(Func, proto);
        var r = Reparse(b);
        r[r[Func].Type].Params[0].Type.ShouldBe(ctxPtr);
        r[proto].Params[1].Name.ShouldBe("renamed");
        r[Proto].Params[0].Type.ShouldBe(Int);   // the original prototype is untouched
        KernelBtfLoad.TryLoad(r.ToBytes()).ShouldBeNull();
    }

    [Test]
    public void QuestionMarkDatasecAndLinkageEdits()
    {
        var b = Fresh();
        int v = b.AddVar("opt", Int);
        int sec = b.AddDatasec("?.data.opt", 4, [new(v, 0, 4)]);
        b.FixDatasecQuestionMark(sec);
        b.SetFuncLinkage(Func, BtfFuncLinkage.Static);
        int ext = b.AddFunc("ext_fn", VoidProto, BtfFuncLinkage.Extern);
        var r = Reparse(b);
        r[sec].Name.ShouldBe("_.data.opt");
        r[Func].FuncLinkage.ShouldBe(BtfFuncLinkage.Static);
        r.DumpRaw(ext).ShouldBe($"[{ext}] FUNC 'ext_fn' type_id={VoidProto} linkage=extern");
    }

    [Test]
    public void InvalidEditsAreRejectedAndRolledBack()
    {
        var b = Fresh();
        var before = b.ToBytes();
        // Record sizes must not change.
        Should.Throw<ArgumentException>(() => b.SetKind(Int, BtfKind.Struct, 1));
        // A reference to a type that does not exist would not re-parse.
        Should.Throw<ArgumentException>(() => b.SetKind(Color, BtfKind.FuncProto, 3)).Message.ShouldContain("FUNC_PROTO");
        Should.Throw<ArgumentException>(() => b.SetSize(PtrFoo, 4));
        Should.Throw<ArgumentException>(() => b.SetType(Foo, 1));
        Should.Throw<ArgumentOutOfRangeException>(() => b.SetParamType(Proto, 2, Int));
        Should.Throw<ArgumentException>(() => b.SetNameOffset(Int, 1_000_000));
        Should.Throw<ArgumentException>(() => b.ReplaceVarWithInt(Int));
        b.ToBytes().ShouldBe(before);
        // A same-size kind change that stays valid is accepted.
        b.SetKind(Color, BtfKind.Enum, 3, kindFlag: true);
        b[Color].IsSigned.ShouldBeTrue();
    }

    [Test]
    public void MutatingLoadedFileCopiesOnWrite()
    {
        var vmlinuxBytes = File.ReadAllBytes(BtfTestUtil.VmlinuxPath);
        var b = BtfObj.LoadFile(BtfTestUtil.VmlinuxPath);
        int task = b.FindByName("task_struct", BtfKind.Struct);
        b.SetName(task, "task_struct_renamed");
        b.FindByName("task_struct", BtfKind.Struct).ShouldBe(-1);
        b.FindByName("task_struct_renamed", BtfKind.Struct).ShouldBe(task);
        int added = b.AddInt("brand_new_int", 4);
        var r = BtfObj.Parse(b.ToBytes());
        r[task].Name.ShouldBe("task_struct_renamed");
        r[added].Name.ShouldBe("brand_new_int");
        // The file and the shared instance are unaffected.
        BtfObj.KernelVmlinux[task].Name.ShouldBe("task_struct");
        BtfObj.LoadFile(BtfTestUtil.VmlinuxPath).ToBytes().ShouldBe(vmlinuxBytes);
    }
}
