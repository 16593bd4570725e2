namespace BpfLoader.Btf;

/// <summary>BTF type kinds (<c>BTF_KIND_*</c> in include/uapi/linux/btf.h); the value is stored in bits 24-28 of <c>info</c>.</summary>
public enum BtfKind : byte
{
    Unknown = 0,
    Int = 1,
    Ptr = 2,
    Array = 3,
    Struct = 4,
    Union = 5,
    Enum = 6,
    Fwd = 7,
    Typedef = 8,
    Volatile = 9,
    Const = 10,
    Restrict = 11,
    Func = 12,
    FuncProto = 13,
    Var = 14,
    Datasec = 15,
    Float = 16,
    DeclTag = 17,
    TypeTag = 18,
    Enum64 = 19,
}

/// <summary>Encoding bits of a BTF INT (<c>BTF_INT_SIGNED</c>, <c>BTF_INT_CHAR</c>, <c>BTF_INT_BOOL</c>).</summary>
[Flags]
public enum BtfIntEncoding : byte
{
    None = 0,
    Signed = 1,
    Char = 2,
    Bool = 4,
}

/// <summary>Linkage of a FUNC, stored in its vlen field (<c>enum btf_func_linkage</c>).</summary>
public enum BtfFuncLinkage : ushort
{
    Static = 0,
    Global = 1,
    Extern = 2,
}

/// <summary>Linkage of a VAR (<c>BTF_VAR_STATIC</c>, <c>BTF_VAR_GLOBAL_ALLOCATED</c>, <c>BTF_VAR_GLOBAL_EXTERN</c>).</summary>
public enum BtfVarLinkage : uint
{
    Static = 0,
    GlobalAllocated = 1,
    GlobalExtern = 2,
}

/// <summary>Kind names and record-size rules shared by the parser, the writer and the dumper.</summary>
public static class BtfKinds
{
    /// <summary>The highest kind this code understands.</summary>
    public const BtfKind Max = BtfKind.Enum64;

    private static readonly string[] Names =
    [
        "UNKNOWN", "INT", "PTR", "ARRAY", "STRUCT", "UNION", "ENUM", "FWD", "TYPEDEF", "VOLATILE",
        "CONST", "RESTRICT", "FUNC", "FUNC_PROTO", "VAR", "DATASEC", "FLOAT", "DECL_TAG", "TYPE_TAG", "ENUM64",
    ];

    /// <summary>The upper-case name bpftool and the kernel print, e.g. <c>FUNC_PROTO</c>; <c>KIND_25</c> when unknown.</summary>
    public static string Name(BtfKind kind) => (uint)kind < (uint)Names.Length ? Names[(int)kind] : $"KIND_{(int)kind}";

    /// <summary>
    /// Bytes a type record of <paramref name="kind"/> with <paramref name="vlen"/> entries occupies
    /// (12-byte <c>struct btf_type</c> plus the kind's trailing data), or -1 for a kind that has no layout.
    /// </summary>
    public static int RecordSize(BtfKind kind, int vlen) => kind switch
    {
        BtfKind.Ptr or BtfKind.Fwd or BtfKind.Typedef or BtfKind.Volatile or BtfKind.Const or BtfKind.Restrict
            or BtfKind.Func or BtfKind.Float or BtfKind.TypeTag => 12,
        BtfKind.Int or BtfKind.Var or BtfKind.DeclTag => 16,
        BtfKind.Array => 24,
        BtfKind.Struct or BtfKind.Union or BtfKind.Datasec or BtfKind.Enum64 => 12 + 12 * vlen,
        BtfKind.Enum or BtfKind.FuncProto => 12 + 8 * vlen,
        _ => -1,
    };

    /// <summary>Kinds whose third word is a byte size rather than a type id.</summary>
    public static bool HasSize(BtfKind kind) => kind is BtfKind.Int or BtfKind.Struct or BtfKind.Union
        or BtfKind.Enum or BtfKind.Enum64 or BtfKind.Datasec or BtfKind.Float;

    /// <summary>Kinds whose third word references another type (0 meaning void where that is allowed).</summary>
    public static bool HasTypeRef(BtfKind kind) => kind is BtfKind.Ptr or BtfKind.Typedef or BtfKind.Volatile
        or BtfKind.Const or BtfKind.Restrict or BtfKind.Func or BtfKind.FuncProto or BtfKind.Var
        or BtfKind.DeclTag or BtfKind.TypeTag;

    /// <summary>Modifiers that <see cref="Btf.SkipModsAndTypedefs"/> looks through (plus TYPEDEF).</summary>
    public static bool IsModifier(BtfKind kind) => kind is BtfKind.Volatile or BtfKind.Const or BtfKind.Restrict
        or BtfKind.TypeTag;
}
