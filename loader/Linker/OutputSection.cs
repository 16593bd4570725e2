using BpfLoader.Btf;
using BpfLoader.Elf;

namespace BpfLoader.Linker;

/// <summary>
/// One section of the output (libbpf's <c>dst_sec</c>): merged bytes, the ELF header fields taken from its first
/// real contributor, and the BTF bookkeeping (DATASEC members, .BTF.ext records) collected for it.
/// </summary>
internal sealed class OutputSection(int id, string name)
{
    /// <summary>Position in creation order, from 1 (libbpf's section id, printed in section-mismatch messages).</summary>
    public int Id { get; } = id;
    public string Name { get; } = name;
    /// <summary>No ELF section yet (only shells such as .kconfig contributed so far).</summary>
    public bool Ephemeral { get; set; } = true;
    public int ElfIndex { get; set; }
    public uint Type { get; set; }
    public ulong Flags { get; set; }
    public ulong Alignment { get; set; }
    public ulong EntrySize { get; set; }
    public uint Link { get; set; }
    public uint Info { get; set; }
    public byte[] Data { get; private set; } = [];
    public int Size { get; private set; }
    /// <summary>The single STT_SECTION symbol kept for this section (0 = none yet).</summary>
    public int SectionSymbol { get; set; }
    public bool HasBtf { get; set; }
    public List<BtfVarSecInfo> Vars { get; } = [];
    public ExtRecordList FuncInfos { get; } = new();
    public ExtRecordList LineInfos { get; } = new();
    public ExtRecordList CoreRelos { get; } = new();

    public bool IsExecutable => (Flags & ElfConstants.ShfExecinstr) != 0;
    public bool IsNoBits => Type == ElfConstants.ShtNobits;

    /// <summary>
    /// Appends <paramref name="bytes"/> (or <paramref name="size"/> zero bytes for NOBITS) aligned to the larger of
    /// the section's alignment so far and <paramref name="alignment"/>; returns the chunk's start offset.
    /// </summary>
    public int Append(ReadOnlySpan<byte> bytes, int size, ulong alignment)
    {
        ulong align = Math.Max(Alignment == 0 ? 1 : Alignment, alignment);
        int start = (int)(((ulong)Size + align - 1) / align * align);
        int end = start + size;
        if (!IsNoBits)
        {
            if (end > Data.Length)
            {
                var grown = new byte[Math.Max(end, Data.Length * 2)];
                Data.AsSpan(0, Size).CopyTo(grown);
                Data = grown;
            }
            Data.AsSpan(Size, start - Size).Clear();
            bytes.CopyTo(Data.AsSpan(start));
        }
        Size = end;
        Alignment = align;
        return start;
    }

    public Span<byte> Bytes => Data.AsSpan(0, IsNoBits ? 0 : Size);
}

/// <summary>The .BTF.ext records of one output section for one info kind, as raw words.</summary>
internal sealed class ExtRecordList
{
    public int RecordSize { get; set; }
    public List<uint[]> Records { get; } = [];
}

/// <summary>One output symbol-table entry (mutable while symbols are resolved).</summary>
internal sealed class OutputSymbol
{
    public uint NameOffset;
    public byte Info;
    public byte Other;
    public ushort SectionIndex;
    public ulong Value;
    public ulong Size;

    public byte Bind => (byte)(Info >> 4);
    public byte Type => (byte)(Info & 0xf);
    public byte Visibility => (byte)(Other & 3);
}

/// <summary>A non-local symbol being resolved across inputs (libbpf's <c>glob_sym</c>).</summary>
internal sealed class GlobalSymbol(string name, int symbolIndex)
{
    public string Name { get; } = name;
    public int SymbolIndex { get; } = symbolIndex;
    /// <summary>Output section id, 0 for free-floating externs (.extern, extern functions).</summary>
    public int SectionId { get; set; }
    public int BtfId { get; set; }
    /// <summary>
    /// The VAR's type / FUNC's prototype to point the global's BTF at: 0 = take it from the next input's BTF,
    /// negative = an input type id not yet mapped, positive = an output id (libbpf's underlying_btf_id).
    /// </summary>
    public int UnderlyingBtfId { get; set; }
    /// <summary>Index of this global's DATASEC member in its output section's list, -1 if none.</summary>
    public int VarIndex { get; set; } = -1;
    public bool IsExtern { get; set; }
    public bool IsWeak { get; set; }
}
