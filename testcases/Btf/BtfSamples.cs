using BpfLoader.Btf;
using BtfObj = BpfLoader.Btf.Btf;

namespace BpfTests.Btf;

/// <summary>Synthetic BTF built with the Add* API: every kind, kernel-valid.</summary>
internal static class BtfSamples
{
    /// <summary>Ids of interesting types in <see cref="AllKinds"/>.</summary>
    public const int Int = 1, UInt = 2, Bool = 3, CharT = 4, DoubleT = 5, PtrFoo = 6, Foo = 7, IntArray = 8, Union = 9,
        Color = 10, Signed = 11, Big = 12, SignedBig = 13, FwdStruct = 14, FwdUnion = 15, FooT = 16, VolatileInt = 17,
        ConstVolatileInt = 18, RestrictPtr = 19, Proto = 20, Func = 21, DeclTagFunc = 22, DeclTagParam = 23,
        TypeTag = 24, PtrTagged = 25, GlobalVar = 26, StaticVar = 27, Datasec = 28, VoidProto = 29, StaticFunc = 30,
        DeclTagStructMember = 31, ConstPtrChar = 32, PtrChar = 33;

    public static BtfObj AllKinds()
    {
        var b = BtfObj.CreateEmpty(sourceName: "all-kinds");
        Check(b.AddInt("int", 4, BtfIntEncoding.Signed), Int);
        Check(b.AddInt("unsigned int", 4), UInt);
        Check(b.AddInt("_Bool", 1, BtfIntEncoding.Bool), Bool);
        Check(b.AddInt("char", 1, BtfIntEncoding.Char), CharT);
        Check(b.AddFloat("double", 8), DoubleT);
        Check(b.AddPtr(Foo), PtrFoo);   // forward reference, resolved by the next type
        Check(b.AddStruct("foo", 24,
        [
            new("a", Int, 0),
            new("bits", UInt, 32, 3),
            new("more", UInt, 35, 5),
            new("p", PtrFoo, 64),
            new("arr", IntArray, 128),
        ]), Foo);
        Check(b.AddArray(Int, UInt, 2), IntArray);
        Check(b.AddUnion("u", 8, [new("i", Int, 0), new("d", DoubleT, 0)]), Union);
        Check(b.AddEnum("color", 4, false, [new("RED", 0), new("GREEN", 1), new("WHITE", 0xffffffff)]), Color);
        Check(b.AddEnum("sgn", 4, true, [new("NEG", -5), new("POS", 7)]), Signed);
        Check(b.AddEnum64("big", 8, false, [new("HUGE", unchecked((long)0xfffffffffffffff0UL)), new("ONE", 1)]), Big);
        Check(b.AddEnum64("sbig", 8, true, [new("MINUS", -1234567890123L)]), SignedBig);
        Check(b.AddFwd("bar"), FwdStruct);
        Check(b.AddFwd("baz", isUnion: true), FwdUnion);
        Check(b.AddTypedef("foo_t", Foo), FooT);
        Check(b.AddVolatile(Int), VolatileInt);
        Check(b.AddConst(VolatileInt), ConstVolatileInt);
        Check(b.AddRestrict(PtrFoo), RestrictPtr);
        Check(b.AddFuncProto(Int, [new("x", Int), new("p", PtrFoo)]), Proto);
        Check(b.AddFunc("do_foo", Proto, BtfFuncLinkage.Global), Func);
        Check(b.AddDeclTag("tagged", Func), DeclTagFunc);
        Check(b.AddDeclTag("argtag", Func, 1), DeclTagParam);
        Check(b.AddTypeTag("user", Int), TypeTag);
        Check(b.AddPtr(TypeTag), PtrTagged);
        Check(b.AddVar("global_var", Int, BtfVarLinkage.GlobalAllocated), GlobalVar);
        Check(b.AddVar("static_var", Foo, BtfVarLinkage.Static), StaticVar);
        Check(b.AddDatasec(".data", 28, [new(GlobalVar, 0, 4), new(StaticVar, 4, 24)]), Datasec);
        Check(b.AddFuncProto(0, []), VoidProto);
        Check(b.AddFunc("helper", VoidProto), StaticFunc);
        Check(b.AddDeclTag("member_tag", Foo, 0), DeclTagStructMember);
        Check(b.AddConst(CharT), ConstPtrChar);
        Check(b.AddPtr(ConstPtrChar), PtrChar);
        return b;
    }

    private static void Check(int got, int expected)
    {
        if (got != expected)
            throw new InvalidOperationException($"sample type got id {got}, expected {expected}");
    }

    public static string WriteTemp(byte[] bytes, string name)
    {
        var path = Path.Combine(BtfTestUtil.TempDir(), name);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
