using BpfLoader.Btf.Dedup;

namespace BpfLoader.Linker;

/// <summary>
/// The output being built (libbpf's <c>bpf_linker</c>): sections in creation order, the symbol table, the
/// string table shared by section and symbol names, the global symbols being resolved and the merged BTF.
/// ELF indexes 1 and 2 are .strtab and .symtab; data and relocation sections get theirs when created.
/// </summary>
internal sealed class LinkState
{
    public const int StrtabIndex = 1, SymtabIndex = 2;

    public LinkState()
    {
        Strtab.Add(".strtab");
        Strtab.Add(".symtab");
        Symbols.Add(new OutputSymbol());
    }

    public List<OutputSection> Sections { get; } = [];
    public List<OutputSymbol> Symbols { get; } = [];
    public BtfStringSet Strtab { get; } = new();
    public List<GlobalSymbol> Globals { get; } = [];
    public BtfTypeTable Btf { get; } = new();
    private int _nextElfIndex = SymtabIndex + 1;

    public OutputSection? FindSection(string name) => Sections.FirstOrDefault(s => s.Name == name);

    public OutputSection Section(int id) => Sections[id - 1];

    public GlobalSymbol? FindGlobal(string name) => Globals.FirstOrDefault(g => g.Name == name);

    public OutputSection AddSection(string name)
    {
        var sec = new OutputSection(Sections.Count + 1, name);
        Sections.Add(sec);
        return sec;
    }

    /// <summary>Gives <paramref name="sec"/> its ELF section now (index, name in .strtab), with the header fields of <paramref name="src"/>.</summary>
    public void MaterializeSection(OutputSection sec, InputSection src)
    {
        var elf = src.Elf!;
        sec.Ephemeral = false;
        sec.ElfIndex = _nextElfIndex++;
        Strtab.Add(sec.Name);
        sec.Type = elf.Type;
        sec.Flags = elf.Flags;
        sec.Alignment = elf.Alignment;
        sec.EntrySize = elf.EntrySize;
    }

    /// <summary>The ELF index for a section created at finalize (.BTF, .BTF.ext).</summary>
    public int NextElfIndex() => _nextElfIndex++;
}
