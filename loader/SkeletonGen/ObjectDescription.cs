namespace BpfLoader.SkeletonGen;

/// <summary>A map as a skeleton lists it: <paramref name="Ident"/> is bpftool's identifier (<c>data</c>, <c>map1</c>),
/// <paramref name="LookupName"/> the name the runtime finds it by (a user map's name or the data section's name).</summary>
internal sealed record MapEntry(string Ident, string LookupName, MapEntryKind Kind);

internal enum MapEntryKind { User, Data, Kconfig, StructOps }

/// <summary>One variable of a data section: its BTF VAR's type, offset and size.</summary>
internal sealed record SectionVar(string Name, int TypeId, long Offset, long Size);

/// <summary>A memory-mappable global-data map with a DATASEC: what becomes a typed section view.</summary>
internal sealed record DataSection(string Ident, string SectionName, bool ReadOnlyAfterLoad, IReadOnlyList<SectionVar> Vars);

/// <summary>A section whose variables get no typed view, with the reason (stated in the generated source).</summary>
internal sealed record RefusedSection(string SectionName, IReadOnlyList<string> Vars, string Reason);

/// <summary>A struct_ops map: its variable name and local value type.</summary>
internal sealed record StructOpsMap(string Ident, int TypeId);

/// <summary>
/// What the generator knows of one BPF object, read the way libbpf and bpftool see it (linker-and-skeletons.md §3.2,
/// §3.4): maps in libbpf's order (BTF-defined maps, data sections in ELF order, .kconfig, struct_ops), entry
/// programs by section index and offset, and the data sections' non-static, non-hidden variables sorted by
/// offset (offsets taken from the ELF symbols, as libbpf's DATASEC fixup does; .kconfig laid out like libbpf's
/// extern sorting).
/// </summary>
internal sealed class ObjectDescription
{
    private ObjectDescription(ElfImage elf, BtfTypes? btf, List<MapEntry> maps, List<string> programs, List<DataSection> sections, List<StructOpsMap> structOps,
        List<RefusedSection> refused)
    {
        Refused = refused;
        Elf = elf;
        Btf = btf;
        Maps = maps;
        Programs = programs;
        Sections = sections;
        StructOps = structOps;
    }

    public ElfImage Elf { get; }
    public BtfTypes? Btf { get; }
    public IReadOnlyList<MapEntry> Maps { get; }
    public IReadOnlyList<string> Programs { get; }
    public IReadOnlyList<DataSection> Sections { get; }
    public IReadOnlyList<StructOpsMap> StructOps { get; }
    public IReadOnlyList<RefusedSection> Refused { get; }

    /// <summary>Why BPF arena globals (<c>__arena</c>, sections <c>.addr_space.N</c>) have no view.</summary>
    public const string ArenaRefusal = "BPF arena globals have no typed view: the loader does not map BPF arenas (the arena map itself is in Maps)";

    public static ObjectDescription Read(byte[] bytes, string what)
    {
        var elf = ElfImage.Parse(bytes, what);
        var btfSec = elf.FindSection(".BTF");
        var btf = btfSec is null ? null : BtfTypes.Parse(elf.Data(btfSec), what);
        var maps = new List<MapEntry>();
        var sections = new List<DataSection>();
        var structOps = new List<StructOpsMap>();

        if (btf?.FindDatasec(".maps") is { } mapsSec)
        {
            foreach (var v in mapsSec.SecVars.OrderBy(v => SymbolOffset(elf, ".maps", btf[v.Type].Name) ?? v.Offset))
                maps.Add(new MapEntry(btf[v.Type].Name, btf[v.Type].Name, MapEntryKind.User));
        }
        foreach (var sec in elf.Sections)
        {
            if (!IsDataSection(sec.Name) || sec.IsExecutable || sec.Size == 0 || sec.Type is not (ElfImage.ShtProgbits or ElfImage.ShtNobits))
                continue;
            string ident = SectionIdent(sec.Name);
            maps.Add(new MapEntry(ident, sec.Name, MapEntryKind.Data));
            if (btf?.FindDatasec(sec.Name) is { } datasec)
            {
                var vars = VisibleVars(elf, btf, datasec, sec.Name);
                if (vars.Count > 0)
                    sections.Add(new DataSection(ident, sec.Name, sec.Name.StartsWith(".rodata", StringComparison.Ordinal), vars));
            }
        }
        if (btf?.FindDatasec(".kconfig") is { } kconfig && kconfig.SecVars.Count > 0)
        {
            maps.Add(new MapEntry("kconfig", ".kconfig", MapEntryKind.Kconfig));
            sections.Add(new DataSection("kconfig", ".kconfig", true, KconfigLayout(btf, kconfig)));
        }
        if (btf is not null)
        {
            foreach (var sec in elf.Sections.Where(s => IsStructOpsSection(s.Name)))
            {
                if (btf.FindDatasec(sec.Name) is not { } datasec)
                    continue;
                foreach (var v in datasec.SecVars.OrderBy(v => v.Offset))
                {
                    var var = btf[v.Type];
                    maps.Add(new MapEntry(var.Name, var.Name, MapEntryKind.StructOps));
                    structOps.Add(new StructOpsMap(var.Name, var.RefType));
                }
            }
        }
        var refused = new List<RefusedSection>();
        foreach (var sec in elf.Sections.Where(s => s.Name.StartsWith(".addr_space.", StringComparison.Ordinal)))
        {
            var vars = btf?.FindDatasec(sec.Name)?.SecVars.Select(v => btf[v.Type].Name).ToList() ?? [];
            refused.Add(new RefusedSection(sec.Name, vars, ArenaRefusal));
        }
        return new ObjectDescription(elf, btf, maps, ReadPrograms(elf), sections, structOps, refused);
    }

    public static bool IsDataSection(string name)
        => name is ".data" or ".rodata" or ".bss"
           || name.StartsWith(".data.", StringComparison.Ordinal)
           || name.StartsWith(".bss.", StringComparison.Ordinal)
           || name.StartsWith(".rodata.", StringComparison.Ordinal);

    private static bool IsStructOpsSection(string name)
        => name is ".struct_ops" or ".struct_ops.link" or "?.struct_ops" or "?.struct_ops.link";

    /// <summary>bpftool's map identifier of a data section: <c>.data</c> → <c>data</c>, <c>.rodata.str1.1</c> → <c>rodata_str1_1</c>.</summary>
    public static string SectionIdent(string sectionName)
    {
        var chars = sectionName.Substring(1).ToCharArray();
        for (int i = 0; i < chars.Length; i++)
        {
            if (!(chars[i] is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '_'))
                chars[i] = '_';
        }
        return new string(chars);
    }

    /// <summary>Entry programs: function symbols of executable sections other than .text, by section then offset.</summary>
    private static List<string> ReadPrograms(ElfImage elf)
        => elf.Sections
            .Where(s => s.Type == ElfImage.ShtProgbits && s.IsExecutable && s.Size > 0 && s.Name != ".text")
            .SelectMany(s => elf.Symbols.Where(sym => sym.SectionIndex == s.Index && sym.Type == ElfImage.SttFunc).OrderBy(sym => sym.Value))
            .Select(sym => sym.Name)
            .ToList();

    private static ulong? SymbolOffset(ElfImage elf, string section, string name)
    {
        var sec = elf.FindSection(section);
        return sec is null ? null : elf.Symbols.FirstOrDefault(s => s.SectionIndex == sec.Index && s.Name == name && s.Type == ElfImage.SttObject)?.Value;
    }

    // Skips static VARs and hidden globals (libbpf makes those static at open); offsets from the symbols.
    private static List<SectionVar> VisibleVars(ElfImage elf, BtfTypes btf, BtfTypeRecord datasec, string sectionName)
    {
        var sec = elf.FindSection(sectionName)!;
        var vars = new List<SectionVar>();
        foreach (var v in datasec.SecVars)
        {
            var var = btf[v.Type];
            if (var.Kind != Kind.Var || var.Linkage == 0)
                continue;
            var sym = elf.Symbols.FirstOrDefault(s => s.SectionIndex == sec.Index && s.Name == var.Name && s.Bind != ElfImage.StbLocal);
            if (sym is not null && sym.IsHidden)
                continue;
            long offset = sym is not null ? (long)sym.Value : v.Offset;
            vars.Add(new SectionVar(var.Name, var.RefType, offset, btf.SizeOf(var.RefType)));
        }
        return vars.OrderBy(v => v.Offset).ToList();
    }

    /// <summary>libbpf's .kconfig layout: by descending alignment, then ascending size, then name; each aligned.</summary>
    private static List<SectionVar> KconfigLayout(BtfTypes btf, BtfTypeRecord datasec)
    {
        var externs = datasec.SecVars
            .Select(v => btf[v.Type])
            .Where(v => v.Kind == Kind.Var)
            .Select(v => (Var: v, Align: btf.AlignOf(v.RefType), Size: btf.SizeOf(v.RefType)))
            .OrderByDescending(e => e.Align).ThenBy(e => e.Size).ThenBy(e => e.Var.Name, StringComparer.Ordinal)
            .ToList();
        var vars = new List<SectionVar>();
        long off = 0;
        foreach (var e in externs)
        {
            off = (off + e.Align - 1) / e.Align * e.Align;
            vars.Add(new SectionVar(e.Var.Name, e.Var.RefType, off, e.Size));
            off += e.Size;
        }
        return vars;
    }
}
