using BpfLoader.Btf;
using BpfLoader.Btf.Dedup;
using BpfLoader.Diagnostics;

namespace BpfLoader.Linker;

/// <summary>
/// Whether a global's BTF type in the output and the same global's type in a new input are compatible
/// (libbpf's <c>glob_sym_btf_matches</c>): exact comparison at the top, shape-only behind pointers, sizes only for
/// scalars. A mismatch is reported with libbpf's WARN text and returns the text.
/// </summary>
internal static class GlobalTypeMatcher
{
    /// <summary>Null when compatible, else the libbpf message (already logged).</summary>
    public static string? Compare(string symbol, bool exact, BtfTypeTable btf1, int id1, BtfTypeTable btf2, int id2)
    {
        while (true)
        {
            id1 = SkipModsAndTypedefs(btf1, id1);
            id2 = SkipModsAndTypedefs(btf2, id2);
            var k1 = btf1.Kind(id1);
            var k2 = btf2.Kind(id2);
            if (!exact && (k1 == BtfKind.Fwd) != (k2 == BtfKind.Fwd))
            {
                string n1 = btf1.Name(id1), n2 = btf2.Name(id2);
                if (n1 != n2)
                    return Fail($"global '{symbol}': incompatible forward declaration names '{n1}' and '{n2}'");
                var (fwdUnion, realKind) = k1 == BtfKind.Fwd ? (btf1.KindFlag(id1), k2) : (btf2.KindFlag(id2), k1);
                if (realKind == (fwdUnion ? BtfKind.Union : BtfKind.Struct))
                    return null;
                return Fail($"global '{symbol}': incompatible {(fwdUnion ? "union" : "struct")} forward declaration and concrete kind {KindName(realKind)}");
            }
            if (k1 != k2)
                return Fail($"global '{symbol}': incompatible BTF kinds {KindName(k1)} and {KindName(k2)}");
            string? name1 = null;
            if (k1 is BtfKind.Struct or BtfKind.Union or BtfKind.Enum or BtfKind.Enum64 or BtfKind.Fwd or BtfKind.Func or BtfKind.Var)
            {
                name1 = btf1.Name(id1);
                string name2 = btf2.Name(id2);
                if (name1 != name2)
                    return Fail($"global '{symbol}': incompatible {KindName(k1)} names '{name1}' and '{name2}'");
            }
            var t1 = btf1.Record(id1);
            var t2 = btf2.Record(id2);
            switch (k1)
            {
                case BtfKind.Unknown or BtfKind.Fwd:
                    return null;
                case BtfKind.Int or BtfKind.Float or BtfKind.Enum or BtfKind.Enum64:
                    // libbpf never fetched the name for INT/FLOAT and glibc prints "(null)".
                    return t1[2] == t2[2] ? null
                        : Fail($"global '{symbol}': incompatible {KindName(k1)} '{name1 ?? "(null)"}' size {t1[2]} and {t2[2]}");
                case BtfKind.Ptr:
                    exact = false;
                    (id1, id2) = ((int)t1[2], (int)t2[2]);
                    continue;
                case BtfKind.Array:
                    (id1, id2) = ((int)t1[3], (int)t2[3]);
                    continue;
                case BtfKind.Func:
                    if ((t1[1] & 0xffff) == 0 != ((t2[1] & 0xffff) == 0))
                        return Fail($"global '{symbol}': incompatible func '{name1}' linkage");
                    (id1, id2) = ((int)t1[2], (int)t2[2]);
                    continue;
                case BtfKind.Var:
                    if (t1[3] == 0 != (t2[3] == 0))
                        return Fail($"global '{symbol}': incompatible var '{name1}' linkage");
                    (id1, id2) = ((int)t1[2], (int)t2[2]);
                    continue;
                case BtfKind.Struct or BtfKind.Union:
                    if (!exact)
                        return null;
                    int n = t1.Length / 3 - 1, m = t2.Length / 3 - 1;
                    if (n != m)
                        return Fail($"global '{symbol}': incompatible number of {KindName(k1)} fields {n} and {m}");
                    for (int i = 0; i < n; i++)
                    {
                        int w = 3 + 3 * i;
                        string f1 = btf1.Strings.Get(t1[w]), f2 = btf2.Strings.Get(t2[w]);
                        if (f1 != f2)
                            return Fail($"global '{symbol}': incompatible field #{i} names '{f1}' and '{f2}'");
                        if (t1[w + 2] != t2[w + 2])
                            return Fail($"global '{symbol}': incompatible field #{i} ('{f1}') offsets");
                        var err = Compare(symbol, exact, btf1, (int)t1[w + 1], btf2, (int)t2[w + 1]);
                        if (err is not null)
                            return err;
                    }
                    return null;
                case BtfKind.FuncProto:
                    int p1 = (t1.Length - 3) / 2, p2 = (t2.Length - 3) / 2;
                    if (p1 != p2)
                        return Fail($"global '{symbol}': incompatible number of {KindName(k1)} params {p1} and {p2}");
                    for (int i = 0; i < p1; i++)
                    {
                        var err = Compare(symbol, exact, btf1, (int)t1[4 + 2 * i], btf2, (int)t2[4 + 2 * i]);
                        if (err is not null)
                            return err;
                    }
                    (id1, id2) = ((int)t1[2], (int)t2[2]);
                    continue;
                default:
                    return Fail($"global '{symbol}': unsupported BTF kind {KindName(k1)}");
            }
        }
    }

    public static int SkipModsAndTypedefs(BtfTypeTable btf, int id)
    {
        while (btf.Kind(id) is BtfKind.Const or BtfKind.Volatile or BtfKind.Restrict or BtfKind.TypeTag or BtfKind.Typedef)
            id = (int)btf.SizeOrType(id);
        return id;
    }

    /// <summary>libbpf's <c>btf_kind_str</c>: lower-case kind names.</summary>
    public static string KindName(BtfKind kind) => kind switch
    {
        BtfKind.Unknown => "void",
        BtfKind.FuncProto => "func_proto",
        BtfKind.DeclTag => "decl_tag",
        BtfKind.TypeTag => "type_tag",
        <= BtfKinds.Max => BtfKinds.Name(kind).ToLowerInvariant(),
        _ => "unknown",
    };

    private static string Fail(string text)
    {
        LibbpfLog.Warn(text);
        return text;
    }
}
