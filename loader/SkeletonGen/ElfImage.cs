using System.Text;

namespace BpfLoader.SkeletonGen;

/// <summary>
/// The parts of a 64-bit little-endian ELF relocatable object the generator needs: section headers with their
/// names and bytes, and the symbol table. A deliberately small reader (the generator runs inside the compiler,
/// netstandard2.0, without the loader's <c>ElfFile</c>); anything malformed is a <see cref="SkeletonGenException"/>.
/// </summary>
internal sealed class ElfImage
{
    public const uint ShtProgbits = 1, ShtSymtab = 2, ShtNobits = 8;
    public const ulong ShfExecinstr = 4;
    public const int SttFunc = 2, SttObject = 1;
    public const int StbLocal = 0;
    public const int StvHidden = 2, StvInternal = 1;

    private ElfImage(byte[] bytes, List<ElfSection> sections, List<ElfSymbol> symbols)
    {
        Bytes = bytes;
        Sections = sections;
        Symbols = symbols;
    }

    public byte[] Bytes { get; }
    public IReadOnlyList<ElfSection> Sections { get; }
    public IReadOnlyList<ElfSymbol> Symbols { get; }

    public ElfSection? FindSection(string name) => Sections.FirstOrDefault(s => s.Name == name);

    public byte[] Data(ElfSection s)
    {
        if (s.Type == ShtNobits)
            return new byte[s.Size];
        var data = new byte[s.Size];
        Array.Copy(Bytes, (long)s.Offset, data, 0, (long)s.Size);
        return data;
    }

    public static ElfImage Parse(byte[] b, string what)
    {
        if (b.Length < 64 || b[0] != 0x7f || b[1] != (byte)'E' || b[2] != (byte)'L' || b[3] != (byte)'F')
            throw new SkeletonGenException($"{what}: not an ELF file");
        if (b[4] != 2 || b[5] != 1)
            throw new SkeletonGenException($"{what}: only 64-bit little-endian BPF objects are supported");
        ulong shoff = U64(b, 0x28);
        int shentsize = U16(b, 0x3a), shnum = U16(b, 0x3c), shstrndx = U16(b, 0x3e);
        if (shentsize != 64 || shoff == 0 || shoff + (ulong)shnum * 64 > (ulong)b.Length || shstrndx >= shnum)
            throw new SkeletonGenException($"{what}: bad section header table");
        var raw = new List<(uint Name, uint Type, ulong Flags, ulong Offset, ulong Size, uint Link, uint Info)>();
        for (int i = 0; i < shnum; i++)
        {
            int o = (int)shoff + i * 64;
            raw.Add((U32(b, o), U32(b, o + 4), U64(b, o + 8), U64(b, o + 24), U64(b, o + 32), U32(b, o + 40), U32(b, o + 44)));
            if (raw[i].Type != ShtNobits && raw[i].Type != 0 && raw[i].Offset + raw[i].Size > (ulong)b.Length)
                throw new SkeletonGenException($"{what}: section #{i} lies outside the file");
        }
        var shstr = raw[shstrndx];
        var sections = new List<ElfSection>();
        for (int i = 0; i < shnum; i++)
        {
            var r = raw[i];
            sections.Add(new ElfSection(i, Str(b, shstr.Offset, shstr.Size, r.Name, what), r.Type, r.Flags, r.Offset, r.Size, r.Link, r.Info));
        }
        var symbols = new List<ElfSymbol>();
        var symtab = sections.FirstOrDefault(s => s.Type == ShtSymtab);
        if (symtab is not null && symtab.Link < sections.Count)
        {
            var strtab = sections[(int)symtab.Link];
            for (ulong o = symtab.Offset + 24; o + 24 <= symtab.Offset + symtab.Size; o += 24)
            {
                int p = (int)o;
                symbols.Add(new ElfSymbol(Str(b, strtab.Offset, strtab.Size, U32(b, p), what), b[p + 4], b[p + 5], U16(b, p + 6), U64(b, p + 8), U64(b, p + 16)));
            }
        }
        return new ElfImage(b, sections, symbols);
    }

    private static string Str(byte[] b, ulong tableOff, ulong tableSize, uint off, string what)
    {
        if (off >= tableSize)
            throw new SkeletonGenException($"{what}: string offset {off} outside its table");
        int start = (int)(tableOff + off), end = start;
        while (end < (int)(tableOff + tableSize) && b[end] != 0)
            end++;
        return Encoding.UTF8.GetString(b, start, end - start);
    }

    internal static ushort U16(byte[] b, int o) => (ushort)(b[o] | b[o + 1] << 8);
    internal static uint U32(byte[] b, int o) => (uint)(b[o] | b[o + 1] << 8 | b[o + 2] << 16 | b[o + 3] << 24);
    internal static ulong U64(byte[] b, int o) => U32(b, o) | (ulong)U32(b, o + 4) << 32;
}

internal sealed record ElfSection(int Index, string Name, uint Type, ulong Flags, ulong Offset, ulong Size, uint Link, uint Info)
{
    public bool IsExecutable => (Flags & ElfImage.ShfExecinstr) != 0;
}

internal sealed record ElfSymbol(string Name, byte Info, byte Other, int SectionIndex, ulong Value, ulong Size)
{
    public int Type => Info & 0xf;
    public int Bind => Info >> 4;
    public bool IsHidden => (Other & 3) is ElfImage.StvHidden or ElfImage.StvInternal;
}

/// <summary>An object the generator cannot describe; the message names the object and what is wrong.</summary>
public sealed class SkeletonGenException(string message) : Exception(message);
