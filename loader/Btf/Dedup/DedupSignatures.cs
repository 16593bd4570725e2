namespace BpfLoader.Btf.Dedup;

/// <summary>
/// The per-kind signature hashes and equality tests of libbpf's dedup, on raw record words (strings compare by
/// offset: names are equal iff offsets are, because the string section holds each string once). Hashes combine
/// fields as <c>h * 31 + value</c> on 64 bits, as libbpf does, so <see cref="DedupTable"/> buckets match.
/// </summary>
internal static class DedupSignatures
{
    private static long Combine(long h, uint value) => unchecked(h * 31 + value);

    /// <summary>name, info, size/type.</summary>
    public static long Common(ReadOnlySpan<uint> t) => Combine(Combine(Combine(0, t[0]), t[1]), t[2]);

    /// <summary>INT and DECL_TAG: common fields plus the fourth word (encoding / component index).</summary>
    public static long IntOrDeclTag(ReadOnlySpan<uint> t) => Combine(Common(t), t[3]);

    /// <summary>Enums hash by name only, so forward enums meet full ones.</summary>
    public static long Enum(ReadOnlySpan<uint> t) => Combine(0, t[0]);

    public static long Typedef(ReadOnlySpan<uint> t) => Combine(Combine(0, t[0]), t[1]);

    /// <summary>STRUCT/UNION: common fields, then each member's name and raw offset (not its type).</summary>
    public static long Struct(ReadOnlySpan<uint> t)
    {
        long h = Common(t);
        for (int i = 3; i < t.Length; i += 3)
            h = Combine(Combine(h, t[i]), t[i + 2]);
        return h;
    }

    public static long Array(ReadOnlySpan<uint> t) => Combine(Combine(Combine(Common(t), t[3]), t[4]), t[5]);

    public static long FuncProto(ReadOnlySpan<uint> t)
    {
        long h = Common(t);
        for (int i = 3; i < t.Length; i += 2)
            h = Combine(Combine(h, t[i]), t[i + 1]);
        return h;
    }

    public static bool EqualCommon(ReadOnlySpan<uint> a, ReadOnlySpan<uint> b) => a[0] == b[0] && a[1] == b[1] && a[2] == b[2];

    /// <summary>Every word equal: INT, DECL_TAG, full enum equality, ARRAY and FUNC_PROTO exact equality.</summary>
    public static bool EqualAll(ReadOnlySpan<uint> a, ReadOnlySpan<uint> b) => a.SequenceEqual(b);

    public static bool IsAnyEnum(ReadOnlySpan<uint> t) => Kind(t) is BtfKind.Enum or BtfKind.Enum64;

    public static bool IsEnumFwd(ReadOnlySpan<uint> t) => IsAnyEnum(t) && (t[1] & 0xffff) == 0;

    /// <summary>Same name, both enums, at least one a forward declaration (size and ENUM vs ENUM64 ignored).</summary>
    public static bool CompatEnum(ReadOnlySpan<uint> a, ReadOnlySpan<uint> b)
        => IsAnyEnum(a) && IsAnyEnum(b) && (IsEnumFwd(a) || IsEnumFwd(b)) && a[0] == b[0];

    /// <summary>Common fields plus each member's name and raw offset.</summary>
    public static bool ShallowEqualStruct(ReadOnlySpan<uint> a, ReadOnlySpan<uint> b)
    {
        if (!EqualCommon(a, b))
            return false;
        for (int i = 3; i < a.Length; i += 3)
        {
            if (a[i] != b[i] || a[i + 2] != b[i + 2])
                return false;
        }
        return true;
    }

    /// <summary>ARRAY shape: common fields and element count (element and index types compared elsewhere).</summary>
    public static bool CompatArray(ReadOnlySpan<uint> a, ReadOnlySpan<uint> b) => EqualCommon(a, b) && a[5] == b[5];

    /// <summary>FUNC_PROTO shape: name, info and parameter names (types compared elsewhere).</summary>
    public static bool CompatFuncProto(ReadOnlySpan<uint> a, ReadOnlySpan<uint> b)
    {
        if (a[0] != b[0] || a[1] != b[1])
            return false;
        for (int i = 3; i < a.Length; i += 2)
        {
            if (a[i] != b[i])
                return false;
        }
        return true;
    }

    public static BtfKind Kind(ReadOnlySpan<uint> t) => t.IsEmpty ? BtfKind.Unknown : (BtfKind)((t[1] >> 24) & 0x1f);
}
