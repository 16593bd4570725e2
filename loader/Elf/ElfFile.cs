using System.Buffers.Binary;
using System.Text;
using BpfLoader.Diagnostics;

namespace BpfLoader.Elf;

/// <summary>
/// A read-only view of a BPF ELF object (ELF64, little-endian, relocatable). Every offset read from the
/// file is bounds-checked; malformed input raises <see cref="BpfFormatException"/> naming the object and
/// what is wrong, never an index or null-reference error.
/// </summary>
internal sealed class ElfFile
{
    private const int HeaderSize = 64, SectionHeaderSize = 64, SymbolSize = 24, RelSize = 16, RelaSize = 24;

    private readonly ElfImage _image;
    private IReadOnlyList<ElfSymbol>? _symbols;

    private ElfFile(string name, ElfImage image, ushort machine, IReadOnlyList<ElfSection> sections, int symtabIndex)
    {
        Name = name;
        _image = image;
        Machine = machine;
        Sections = sections;
        SymbolTableIndex = symtabIndex;
    }

    /// <summary>The object's name for messages (file name without directory, as libbpf prints it).</summary>
    public string Name { get; }
    public ushort Machine { get; }
    public IReadOnlyList<ElfSection> Sections { get; }
    public int SymbolTableIndex { get; }
    /// <summary>The whole ELF image (lets a caller reopen the same object); after <see cref="Open"/> its DWARF sections read as zeros.</summary>
    internal ReadOnlyMemory<byte> Data => _image.Whole;

    public static ElfFile Open(string path)
    {
        // libbpf's elf_begin on a directory fails inside libelf: -LIBBPF_ERRNO__LIBELF for every caller.
        if (Directory.Exists(path))
        {
            throw LibbpfError.Log($"elf: failed to open {path} as ELF file: is a directory",
                new BpfException($"failed to open BPF object '{path}': is a directory", Errno.LibbpfLibelf));
        }
        // Copied, not mapped: programs and maps are read again at load, and a mapped file truncated in between
        // would fault. DWARF is not read (most of a -g object, and nothing here reads it; those sections' Data is
        // empty); when the headers do not allow that, the whole file is read into native memory rather than a
        // byte[] (a large-object-heap array per open costs gen-2 collections). Section slices keep the copy alive.
        ElfImage image;
        try
        {
            image = ElfDwarfSkippingReader.TryRead(path) ?? new ElfImage(Btf.BtfFileData.Load(path, allowMap: false).Memory);
        }
        catch (BpfException e)
        {
            int errno = e.Error == -Errno.ENOENT ? Errno.ENOENT : e.Error == -Errno.EACCES ? Errno.EACCES : Errno.EIO;
            string reason = e.InnerException?.Message ?? e.Message;
            throw LibbpfError.Log($"elf: failed to open {path}: {Errno.Str(errno)}", new BpfException($"failed to open BPF object '{path}': {reason}", errno, e));
        }
        return Parse(image, ObjectNameFromPath(path));
    }

    /// <summary>libbpf names an object after its file name with the extension cut at the first dot.</summary>
    public static string ObjectNameFromPath(string path)
    {
        var file = Path.GetFileName(path);
        int dot = file.IndexOf('.');
        return dot > 0 ? file[..dot] : file;
    }

    public static ElfFile Parse(ReadOnlyMemory<byte> data, string name) => Parse(new ElfImage(data), name);

    /// <summary>Parses a whole or partial image (see <see cref="ElfImage"/>): sections that were not read have empty <see cref="ElfSection.Data"/>.</summary>
    internal static ElfFile Parse(ElfImage image, string name)
    {
        if (image.Length < HeaderSize)
            throw Bad(name, $"file is truncated ({image.Length} bytes, an ELF header needs {HeaderSize})");
        var s = image.Slice(0, HeaderSize).Span;
        if (s[0] != 0x7f || s[1] != (byte)'E' || s[2] != (byte)'L' || s[3] != (byte)'F')
            throw Bad(name, "not an ELF file (bad magic)");
        if (s[4] != 2)
            throw Bad(name, "not a 64-bit ELF file");
        if (s[5] != 1)
            throw Bad(name, "loading non-native endianness is unsupported", Errno.ENOTSUP);
        ushort type = U16(s, 16), machine = U16(s, 18);
        if (type != ElfConstants.EtRel)
            throw Bad(name, $"not a relocatable object (e_type {type})");
        if (machine != ElfConstants.EmBpf)
            throw Bad(name, $"not a BPF object (e_machine {machine}, expected {ElfConstants.EmBpf})");

        ulong shoff = U64(s, 40);
        ushort shentsize = U16(s, 58), shnum = U16(s, 60), shstrndx = U16(s, 62);
        if (shnum == 0)
            throw Bad(name, "no section headers");
        if (shentsize != SectionHeaderSize)
            throw Bad(name, $"unexpected section header size {shentsize}");
        CheckRange(name, image.Length, shoff, (ulong)shnum * SectionHeaderSize, "section header table");
        if (shstrndx >= shnum)
            throw Bad(name, $"section name table index {shstrndx} out of range ({shnum} sections)");
        var headers = image.Slice(shoff, (ulong)shnum * SectionHeaderSize).Span;

        var raw = new (uint NameOff, uint Type, ulong Flags, ulong Off, ulong Size, uint Link, uint Info, ulong Align, ulong EntSize)[shnum];
        for (int i = 0; i < shnum; i++)
        {
            var h = headers.Slice(i * SectionHeaderSize, SectionHeaderSize);
            raw[i] = (U32(h, 0), U32(h, 4), U64(h, 8), U64(h, 24), U64(h, 32), U32(h, 40), U32(h, 44), U64(h, 48), U64(h, 56));
            if (raw[i].Type != ElfConstants.ShtNobits && i != 0)
                CheckRange(name, image.Length, raw[i].Off, raw[i].Size, $"section #{i}");
        }

        var shstr = raw[shstrndx];
        if (shstr.Type != ElfConstants.ShtStrtab)
            throw Bad(name, $"section name table #{shstrndx} is not a string table");
        var shstrData = image.Slice(shstr.Off, shstr.Size).Span;

        var sections = new ElfSection[shnum];
        int symtab = -1;
        for (int i = 0; i < shnum; i++)
        {
            var r = raw[i];
            string secName = i == 0 ? "" : ReadString(name, shstrData, r.NameOff, "section", i);
            var bytes = r.Type == ElfConstants.ShtNobits || i == 0 ? ReadOnlyMemory<byte>.Empty : image.Slice(r.Off, r.Size);
            sections[i] = new ElfSection(i, secName, r.Type, r.Flags, r.Off, r.Size, r.Link, r.Info, r.Align, r.EntSize, bytes);
            if (r.Type == ElfConstants.ShtSymtab)
            {
                if (symtab >= 0)
                    throw Bad(name, "multiple symbol tables are not supported");
                symtab = i;
            }
        }
        if (symtab >= 0)
        {
            var st = sections[symtab];
            if (st.Link >= shnum || sections[st.Link].Type != ElfConstants.ShtStrtab)
                throw Bad(name, $"symbol table '{st.Name}' links to invalid string table #{st.Link}");
            if (st.Size % SymbolSize != 0)
                throw Bad(name, $"symbol table '{st.Name}' size {st.Size} is not a multiple of {SymbolSize}");
        }
        return new ElfFile(name, image, machine, sections, symtab);
    }

    public ElfSection? FindSection(string name) => Sections.FirstOrDefault(x => x.Name == name);

    /// <summary>All symbols of the symbol table (entry 0, the null symbol, included so indices match).</summary>
    public IReadOnlyList<ElfSymbol> Symbols => _symbols ??= ReadSymbols();

    private List<ElfSymbol> ReadSymbols()
    {
        var result = new List<ElfSymbol>();
        if (SymbolTableIndex < 0)
            return result;
        var st = Sections[SymbolTableIndex];
        var strtab = Sections[(int)st.Link].Data.Span;
        var span = st.Data.Span;
        for (int i = 0; i < span.Length / SymbolSize; i++)
        {
            var e = span.Slice(i * SymbolSize, SymbolSize);
            uint nameOff = U32(e, 0);
            byte info = e[4], other = e[5];
            ushort shndx = U16(e, 6);
            string symName = ReadString(Name, strtab, nameOff, "symbol", i);
            if (shndx != ElfConstants.ShnUndef && shndx < 0xff00 && shndx >= Sections.Count)
                throw Bad(Name, $"symbol '{symName}' refers to missing section #{shndx}");
            result.Add(new ElfSymbol(i, symName, U64(e, 8), U64(e, 16), (byte)(info >> 4), (byte)(info & 0xf), (byte)(other & 0x3), shndx));
        }
        return result;
    }

    /// <summary>Decodes a SHT_REL (or SHT_RELA) section; every symbol index is checked against the table.</summary>
    public IReadOnlyList<ElfRelocation> ReadRelocations(ElfSection relSection)
    {
        int entSize = relSection.Type == ElfConstants.ShtRela ? RelaSize : RelSize;
        if (relSection.Type is not (ElfConstants.ShtRel or ElfConstants.ShtRela))
            throw Bad(Name, $"section '{relSection.Name}' is not a relocation section");
        if (relSection.Size % (ulong)entSize != 0)
            throw Bad(Name, $"relocation section '{relSection.Name}' size {relSection.Size} is not a multiple of {entSize}");
        var span = relSection.Data.Span;
        var result = new ElfRelocation[span.Length / entSize];
        int symCount = Symbols.Count;
        for (int i = 0; i < result.Length; i++)
        {
            var e = span.Slice(i * entSize, entSize);
            ulong info = U64(e, 8);
            // Compared unsigned: an index >= 2^31 must not turn negative and pass the check.
            uint sym = (uint)(info >> 32);
            if (sym >= (uint)symCount)
                throw Bad(Name, $"relocation #{i} in '{relSection.Name}' refers to missing symbol #{sym}");
            result[i] = new ElfRelocation(U64(e, 0), (int)sym, (uint)info);
        }
        return result;
    }

    // The message parts are passed separately and formatted only on error: names are read for every
    // section and symbol, and formatting "name of symbol #i" each time dominated opening an object.
    private static string ReadString(string obj, ReadOnlySpan<byte> table, uint offset, string owner, int index)
    {
        if (offset >= table.Length)
            throw Bad(obj, $"name of {owner} #{index}: string offset {offset} outside the string table ({table.Length} bytes)");
        var rest = table[(int)offset..];
        int end = rest.IndexOf((byte)0);
        if (end < 0)
            throw Bad(obj, $"name of {owner} #{index}: string at offset {offset} is not NUL-terminated");
        return Encoding.UTF8.GetString(rest[..end]);
    }

    private static void CheckRange(string obj, int fileSize, ulong offset, ulong size, string what)
    {
        if (offset > (ulong)fileSize || size > (ulong)fileSize - offset)
            throw Bad(obj, $"{what} (offset {offset}, size {size}) lies outside the file ({fileSize} bytes)");
    }

    private static BpfFormatException Bad(string obj, string what, int err = Errno.EINVAL)
    {
        string message = $"elf: object '{obj}': {what}";
        return LibbpfError.Log(message, new BpfFormatException(message, err));
    }

    private static ushort U16(ReadOnlySpan<byte> s, int o) => BinaryPrimitives.ReadUInt16LittleEndian(s[o..]);
    private static uint U32(ReadOnlySpan<byte> s, int o) => BinaryPrimitives.ReadUInt32LittleEndian(s[o..]);
    private static ulong U64(ReadOnlySpan<byte> s, int o) => BinaryPrimitives.ReadUInt64LittleEndian(s[o..]);
}
