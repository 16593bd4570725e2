namespace BpfLoader.Btf;

/// <summary>BTF type kinds (<c>BTF_KIND_*</c> in include/uapi/linux/btf.h); the value is stored in bits 24-28 of <c>info</c>.</summary>
public enum BtfKind : byte
{
    /// <summary><c>BTF_KIND_UNKN</c>.</summary>
    Unknown = 0,
    /// <summary><c>BTF_KIND_INT</c>.</summary>
    Int = 1,
    /// <summary><c>BTF_KIND_PTR</c>.</summary>
    Ptr = 2,
    /// <summary><c>BTF_KIND_ARRAY</c>.</summary>
    Array = 3,
    /// <summary><c>BTF_KIND_STRUCT</c>.</summary>
    Struct = 4,
    /// <summary><c>BTF_KIND_UNION</c>.</summary>
    Union = 5,
    /// <summary><c>BTF_KIND_ENUM</c>.</summary>
    Enum = 6,
    /// <summary><c>BTF_KIND_FWD</c>.</summary>
    Fwd = 7,
    /// <summary><c>BTF_KIND_TYPEDEF</c>.</summary>
    Typedef = 8,
    /// <summary><c>BTF_KIND_VOLATILE</c>.</summary>
    Volatile = 9,
    /// <summary><c>BTF_KIND_CONST</c>.</summary>
    Const = 10,
    /// <summary><c>BTF_KIND_RESTRICT</c>.</summary>
    Restrict = 11,
    /// <summary><c>BTF_KIND_FUNC</c>.</summary>
    Func = 12,
    /// <summary><c>BTF_KIND_FUNC_PROTO</c>.</summary>
    FuncProto = 13,
    /// <summary><c>BTF_KIND_VAR</c>.</summary>
    Var = 14,
    /// <summary><c>BTF_KIND_DATASEC</c>.</summary>
    Datasec = 15,
    /// <summary><c>BTF_KIND_FLOAT</c>.</summary>
    Float = 16,
    /// <summary><c>BTF_KIND_DECL_TAG</c>.</summary>
    DeclTag = 17,
    /// <summary><c>BTF_KIND_TYPE_TAG</c>.</summary>
    TypeTag = 18,
    /// <summary><c>BTF_KIND_ENUM64</c>.</summary>
    Enum64 = 19,
}

/// <summary>Encoding bits of a BTF INT (<c>BTF_INT_SIGNED</c>, <c>BTF_INT_CHAR</c>, <c>BTF_INT_BOOL</c>).</summary>
[Flags]
public enum BtfIntEncoding : byte
{
    /// <summary>No encoding bits: an unsigned integer.</summary>
    None = 0,
    /// <summary><c>BTF_INT_SIGNED</c>.</summary>
    Signed = 1,
    /// <summary><c>BTF_INT_CHAR</c>.</summary>
    Char = 2,
    /// <summary><c>BTF_INT_BOOL</c>.</summary>
    Bool = 4,
}

/// <summary>Linkage of a FUNC, stored in its vlen field (<c>enum btf_func_linkage</c>).</summary>
public enum BtfFuncLinkage : ushort
{
    /// <summary><c>BTF_FUNC_STATIC</c>.</summary>
    Static = 0,
    /// <summary><c>BTF_FUNC_GLOBAL</c>.</summary>
    Global = 1,
    /// <summary><c>BTF_FUNC_EXTERN</c>.</summary>
    Extern = 2,
}

/// <summary>Linkage of a VAR (<c>BTF_VAR_STATIC</c>, <c>BTF_VAR_GLOBAL_ALLOCATED</c>, <c>BTF_VAR_GLOBAL_EXTERN</c>).</summary>
public enum BtfVarLinkage : uint
{
    /// <summary><c>BTF_VAR_STATIC</c>.</summary>
    Static = 0,
    /// <summary><c>BTF_VAR_GLOBAL_ALLOCATED</c>.</summary>
    GlobalAllocated = 1,
    /// <summary><c>BTF_VAR_GLOBAL_EXTERN</c>.</summary>
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
