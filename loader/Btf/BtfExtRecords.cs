namespace BpfLoader.Btf;

/// <summary>CO-RE relocation kinds (<c>enum bpf_core_relo_kind</c>).</summary>
public enum BtfCoreReloKind : uint
{
    FieldByteOffset = 0,
    FieldByteSize = 1,
    FieldExists = 2,
    FieldSigned = 3,
    FieldLShiftU64 = 4,
    FieldRShiftU64 = 5,
    TypeIdLocal = 6,
    TypeIdTarget = 7,
    TypeExists = 8,
    TypeSize = 9,
    EnumvalExists = 10,
    EnumvalValue = 11,
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
    public uint Line => LineCol >> 10;
    public uint Column => LineCol & 0x3ff;
}

/// <summary><c>struct bpf_core_relo</c>: a CO-RE relocation of the instruction at <see cref="InsnOff"/> (bytes).</summary>
public readonly record struct CoreRelo(uint InsnOff, int TypeId, uint AccessStrOff, BtfCoreReloKind Kind);

/// <summary>The records of one ELF section (e.g. <c>raw_tp/sys_enter</c> or <c>.text</c>) in one .BTF.ext info block.</summary>
public sealed record BtfExtSection<T>(string Name, uint NameOffset, IReadOnlyList<T> Records);
