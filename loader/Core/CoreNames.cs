using BpfLoader.Btf;

namespace BpfLoader.Core;

using Btf = BpfLoader.Btf.Btf;

/// <summary>
/// Name rules of CO-RE: <c>___flavor</c> suffixes, libbpf's lower-case kind names and relocation kind names,
/// and the type-skipping helper every matcher uses.
/// </summary>
internal static class CoreNames
{
    /// <summary>libbpf's <c>bpf_core_essential_name_len</c>; see <see cref="BtfNames.EssentialLength"/>.</summary>
    public static int EssentialLength(ReadOnlySpan<byte> name) => BtfNames.EssentialLength(name);

    /// <summary>True when the essential names (flavors stripped) of both are equal.</summary>
    public static bool EssentialEquals(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        int la = EssentialLength(a), lb = EssentialLength(b);
        return la == lb && a[..la].SequenceEqual(b[..lb]);
    }

    /// <summary>libbpf's <c>btf_kind_str</c> (lower case, "void" for id 0).</summary>
    public static string KindString(BtfType t) => t.IsVoid ? "void" : KindString(t.Kind);

    public static string KindString(BtfKind kind) => kind switch
    {
        BtfKind.Unknown => "void",
        BtfKind.Int => "int",
        BtfKind.Ptr => "ptr",
        BtfKind.Array => "array",
        BtfKind.Struct => "struct",
        BtfKind.Union => "union",
        BtfKind.Enum => "enum",
        BtfKind.Fwd => "fwd",
        BtfKind.Typedef => "typedef",
        BtfKind.Volatile => "volatile",
        BtfKind.Const => "const",
        BtfKind.Restrict => "restrict",
        BtfKind.Func => "func",
        BtfKind.FuncProto => "func_proto",
        BtfKind.Var => "var",
        BtfKind.Datasec => "datasec",
        BtfKind.Float => "float",
        BtfKind.DeclTag => "decl_tag",
        BtfKind.TypeTag => "type_tag",
        BtfKind.Enum64 => "enum64",
        _ => "unknown",
    };

    /// <summary>libbpf's <c>core_relo_kind_str</c>.</summary>
    public static string ReloKindString(BtfCoreReloKind kind) => kind switch
    {
        BtfCoreReloKind.FieldByteOffset => "byte_off",
        BtfCoreReloKind.FieldByteSize => "byte_sz",
        BtfCoreReloKind.FieldExists => "field_exists",
        BtfCoreReloKind.FieldSigned => "signed",
        BtfCoreReloKind.FieldLShiftU64 => "lshift_u64",
        BtfCoreReloKind.FieldRShiftU64 => "rshift_u64",
        BtfCoreReloKind.TypeIdLocal => "local_type_id",
        BtfCoreReloKind.TypeIdTarget => "target_type_id",
        BtfCoreReloKind.TypeExists => "type_exists",
        BtfCoreReloKind.TypeMatches => "type_matches",
        BtfCoreReloKind.TypeSize => "type_size",
        BtfCoreReloKind.EnumvalExists => "enumval_exists",
        BtfCoreReloKind.EnumvalValue => "enumval_value",
        _ => "unknown",
    };

    public static bool IsFieldBased(BtfCoreReloKind k) => k <= BtfCoreReloKind.FieldRShiftU64;

    public static bool IsTypeBased(BtfCoreReloKind k) => k is BtfCoreReloKind.TypeIdLocal or BtfCoreReloKind.TypeIdTarget
        or BtfCoreReloKind.TypeExists or BtfCoreReloKind.TypeMatches or BtfCoreReloKind.TypeSize;

    public static bool IsEnumvalBased(BtfCoreReloKind k) => k is BtfCoreReloKind.EnumvalExists or BtfCoreReloKind.EnumvalValue;

    /// <summary>
    /// libbpf's <c>skip_mods_and_typedefs</c>: the first type that is not a modifier or typedef; false when an
    /// id is out of range (libbpf's NULL), which callers turn into -EINVAL.
    /// </summary>
    public static bool Skip(Btf btf, int id, out int resolvedId, out BtfType type)
    {
        for (int hops = 0; hops <= Btf.MaxTypeId; hops++)
        {
            if (!btf.TryGetType(id, out type))
            {
                resolvedId = id;
                return false;
            }
            if (type.Kind != BtfKind.Typedef && !type.IsModifier)
            {
                resolvedId = id;
                return true;
            }
            id = type.Type;
        }
        resolvedId = id;
        type = default;
        return false;
    }

    public static bool IsAnyEnum(BtfType t) => t.Kind is BtfKind.Enum or BtfKind.Enum64;

    public static bool IsComposite(BtfType t) => t.Kind is BtfKind.Struct or BtfKind.Union;

    /// <summary>libbpf's <c>btf_kind_core_compat</c>: same kind, or both some enum.</summary>
    public static bool KindsCompatible(BtfType a, BtfType b) => a.Kind == b.Kind || (IsAnyEnum(a) && IsAnyEnum(b));

    /// <summary>The raw name bytes of string <paramref name="offset"/> in <paramref name="btf"/> (empty if invalid).</summary>
    public static ReadOnlySpan<byte> NameBytes(Btf btf, uint offset)
        => btf.TryGetStringBytes(offset, out var bytes) ? bytes : default;

    /// <summary>Signed 32-bit ENUM values as libbpf reads them (<c>__s32</c> widened), ENUM64 as stored.</summary>
    public static ulong EnumValue(BtfType t, int index)
    {
        var v = t.EnumValues[index];
        return t.Kind == BtfKind.Enum ? (ulong)(long)(int)(uint)v.RawValue : v.RawValue;
    }
}
