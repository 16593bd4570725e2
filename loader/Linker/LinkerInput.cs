using BpfLoader.Btf;
using BpfLoader.Btf.Dedup;
using BpfLoader.Elf;

namespace BpfLoader.Linker;

/// <summary>One section of an input object as the linker sees it (libbpf's <c>src_sec</c>).</summary>
internal sealed class InputSection(int index, string name, ElfSection? elf)
{
    /// <summary>ELF index; 0 for an ephemeral shell (a DATASEC such as .kconfig with no ELF section).</summary>
    public int Index { get; } = index;
    public string Name { get; } = name;
    /// <summary>The ELF section; null for an ephemeral shell.</summary>
    public ElfSection? Elf { get; } = elf;
    public bool Ephemeral => Elf is null;
    /// <summary>Dropped from the output (DWARF, string tables, empty .text, duplicate license/version, ...).</summary>
    public bool Skipped { get; set; }
    /// <summary>The input DATASEC describing this section, 0 if none.</summary>
    public int DatasecId { get; set; }
    public OutputSection? Destination { get; set; }
    /// <summary>Where this section's bytes start in <see cref="Destination"/>.</summary>
    public int DestinationOffset { get; set; }

    public bool IsData => Ephemeral || Elf!.Type is ElfConstants.ShtProgbits or ElfConstants.ShtNobits;
    public bool IsRelocation => !Ephemeral && Elf!.Type == ElfConstants.ShtRel;
}

/// <summary>A validated input object (libbpf's <c>src_obj</c>) and its per-input mappings into the output.</summary>
internal sealed class LinkerInput(string path, ElfFile elf)
{
    public string Path { get; } = path;
    public ElfFile Elf { get; } = elf;
    /// <summary>Every ELF section by index (0 is a placeholder), then the ephemeral shells.</summary>
    public List<InputSection> Sections { get; } = [];
    public BtfTypeTable? Btf { get; set; }
    public BtfExt? BtfExt { get; set; }
    /// <summary>Input symbol index → output symbol index (0 when the symbol was dropped).</summary>
    public int[] SymbolMap { get; set; } = [];
    /// <summary>Input BTF type id → output BTF type id.</summary>
    public int[] TypeMap { get; set; } = [];

    public InputSection? FindSection(string name) => Sections.Skip(1).FirstOrDefault(s => s.Name == name);
}
