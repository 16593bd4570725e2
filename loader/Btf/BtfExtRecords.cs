namespace BpfLoader.Btf;

/// <summary>CO-RE relocation kinds (<c>enum bpf_core_relo_kind</c>).</summary>
public enum BtfCoreReloKind : uint
{
    /// <summary><c>BPF_CORE_FIELD_BYTE_OFFSET</c>.</summary>
    FieldByteOffset = 0,
    /// <summary><c>BPF_CORE_FIELD_BYTE_SIZE</c>.</summary>
    FieldByteSize = 1,
    /// <summary><c>BPF_CORE_FIELD_EXISTS</c>.</summary>
    FieldExists = 2,
    /// <summary><c>BPF_CORE_FIELD_SIGNED</c>.</summary>
    FieldSigned = 3,
    /// <summary><c>BPF_CORE_FIELD_LSHIFT_U64</c>.</summary>
    FieldLShiftU64 = 4,
    /// <summary><c>BPF_CORE_FIELD_RSHIFT_U64</c>.</summary>
    FieldRShiftU64 = 5,
    /// <summary><c>BPF_CORE_TYPE_ID_LOCAL</c>.</summary>
    TypeIdLocal = 6,
    /// <summary><c>BPF_CORE_TYPE_ID_TARGET</c>.</summary>
    TypeIdTarget = 7,
    /// <summary><c>BPF_CORE_TYPE_EXISTS</c>.</summary>
    TypeExists = 8,
    /// <summary><c>BPF_CORE_TYPE_SIZE</c>.</summary>
    TypeSize = 9,
    /// <summary><c>BPF_CORE_ENUMVAL_EXISTS</c>.</summary>
    EnumvalExists = 10,
    /// <summary><c>BPF_CORE_ENUMVAL_VALUE</c>.</summary>
    EnumvalValue = 11,
    /// <summary><c>BPF_CORE_TYPE_MATCHES</c>.</summary>
    TypeMatches = 12,
}

/// <summary>
/// <c>struct bpf_func_info</c>. In .BTF.ext <see cref="InsnOff"/> is a byte offset within the ELF section;
/// the kernel wants instruction indexes relative to the program, which the loader computes.
/// </summary>
public readonly record struct FuncInfo(uint InsnOff, int TypeId);

/// <summary><c>struct bpf_line_info</c>; <see cref="LineCol"/> packs line (upper 22 bits) and column (lower 10).</summary>
public readonly record struct LineInfo(uint InsnOff, uint FileNameOff, uint LineOff, uint LineCol)
{
    /// <summary>The source line number (the high 22 bits of <c>line_col</c>).</summary>
    public uint Line => LineCol >> 10;
    /// <summary>The source column (the low 10 bits of <c>line_col</c>).</summary>
    public uint Column => LineCol & 0x3ff;
}

/// <summary><c>struct bpf_core_relo</c>: a CO-RE relocation of the instruction at <see cref="InsnOff"/> (bytes).</summary>
public readonly record struct CoreRelo(uint InsnOff, int TypeId, uint AccessStrOff, BtfCoreReloKind Kind);

/// <summary>The records of one ELF section (e.g. <c>raw_tp/sys_enter</c> or <c>.text</c>) in one .BTF.ext info block.</summary>
public sealed record BtfExtSection<T>(string Name, uint NameOffset, IReadOnlyList<T> Records);
