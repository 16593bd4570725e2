namespace BpfLoader.Elf;

/// <summary>ELF constants the BPF loader needs (a BPF object is an ELF64 little-endian ET_REL for EM_BPF).</summary>
internal static class ElfConstants
{
    public const ushort EtRel = 1;
    public const ushort EmBpf = 247;
    public const uint ShtProgbits = 1, ShtSymtab = 2, ShtStrtab = 3, ShtRela = 4, ShtNobits = 8, ShtRel = 9;
    public const ulong ShfWrite = 0x1, ShfAlloc = 0x2, ShfExecinstr = 0x4;
    public const byte StbLocal = 0, StbGlobal = 1, StbWeak = 2;
    public const byte SttNotype = 0, SttObject = 1, SttFunc = 2, SttSection = 3, SttFile = 4;
    public const byte StvDefault = 0, StvHidden = 2;
    public const ushort ShnUndef = 0, ShnAbs = 0xfff1, ShnCommon = 0xfff2;
    public const uint RBpf64_64 = 1, RBpf64Abs64 = 2, RBpf64Abs32 = 3, RBpf64_32 = 10;
}

/// <summary>One section header, with its bytes (empty for SHT_NOBITS such as .bss).</summary>
internal sealed record ElfSection(
    int Index,
    string Name,
    uint Type,
    ulong Flags,
    ulong Offset,
    ulong Size,
    uint Link,
    uint Info,
    ulong Alignment,
    ulong EntrySize,
    ReadOnlyMemory<byte> Data)
{
    public bool IsExecutable => (Flags & ElfConstants.ShfExecinstr) != 0;
    public bool IsWritable => (Flags & ElfConstants.ShfWrite) != 0;
    public bool IsAllocated => (Flags & ElfConstants.ShfAlloc) != 0;
    public bool IsNoBits => Type == ElfConstants.ShtNobits;
}

/// <summary>One symbol-table entry.</summary>
internal sealed record ElfSymbol(
    int Index,
    string Name,
    ulong Value,
    ulong Size,
    byte Bind,
    byte Type,
    byte Visibility,
    ushort SectionIndex)
{
    public bool IsGlobal => Bind == ElfConstants.StbGlobal;
    public bool IsWeak => Bind == ElfConstants.StbWeak;
    public bool IsLocal => Bind == ElfConstants.StbLocal;
    public bool IsUndefined => SectionIndex == ElfConstants.ShnUndef;
}

/// <summary>One SHT_REL entry: the patched offset inside the target section, the symbol and the type.</summary>
public readonly record struct ElfRelocation(ulong Offset, int SymbolIndex, uint Type);
