using System.Buffers.Binary;
using BpfLoader.Elf;

namespace BpfFuzz;

/// <summary>
/// A structure of an input that mutations aim at: a byte range, and for record tables the record size and the
/// layout of one record's fields (offset, width), so a mutation rewrites a whole field with an interesting value.
/// </summary>
public sealed record Region(string Name, int Offset, int Length, int RecordSize = 0, (int Offset, int Width)[]? Fields = null);

/// <summary>Finds the structures of an ELF object or a raw BTF blob (computed once per seed input).</summary>
public static class RegionMap
{
    private static readonly (int, int)[] ElfHeaderFields =
        [(4, 1), (5, 1), (16, 2), (18, 2), (20, 4), (40, 8), (52, 2), (58, 2), (60, 2), (62, 2)];
    private static readonly (int, int)[] SectionHeaderFields =
        [(0, 4), (4, 4), (8, 8), (24, 8), (32, 8), (40, 4), (44, 4), (48, 8), (56, 8)];
    private static readonly (int, int)[] SymbolFields = [(0, 4), (4, 1), (5, 1), (6, 2), (8, 8), (16, 8)];
    private static readonly (int, int)[] RelFields = [(0, 8), (8, 4), (12, 4)];
    private static readonly (int, int)[] BtfHeaderFields = [(0, 2), (2, 1), (3, 1), (4, 4), (8, 4), (12, 4), (16, 4), (20, 4)];
    private static readonly (int, int)[] Word = [(0, 4)];
    private static readonly (int, int)[] Quad = [(0, 8)];

    public static IReadOnlyList<Region> OfElf(byte[] bytes, string name)
    {
        var elf = ElfFile.Parse(bytes, name);
        var regions = new List<Region> { new("elf-header", 0, 64, 64, ElfHeaderFields) };
        ulong shoff = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(40));
        regions.Add(new("section-headers", (int)shoff, elf.Sections.Count * 64, 64, SectionHeaderFields));
        foreach (var sec in elf.Sections)
        {
            if (sec.IsNoBits || sec.Size == 0 || sec.Index == 0)
                continue;
            int off = (int)sec.Offset, len = (int)sec.Size;
            if (sec.Type == ElfConstants.ShtSymtab)
                regions.Add(new("symbols", off, len, 24, SymbolFields));
            else if (sec.Type == ElfConstants.ShtRel && !sec.Name.StartsWith(".rel.debug", StringComparison.Ordinal))
                regions.Add(new($"relocations {sec.Name}", off, len, 16, RelFields));
            else if (sec.Name == ".maps")
                regions.Add(new(".maps", off, len, 8, Quad));
            else if (sec.Name == ".BTF")
                regions.AddRange(OfRawBtf(bytes, off, len, ".BTF"));
            else if (sec.Name == ".BTF.ext")
            {
                regions.Add(new(".BTF.ext header", off, Math.Min(len, 32), 4, Word));
                regions.Add(new(".BTF.ext records", off, len, 4, Word));
            }
            else if (sec.Name.Contains("struct_ops", StringComparison.Ordinal))
                regions.Add(new(sec.Name, off, len, 8, Quad));
            else if (sec.IsExecutable)
                regions.Add(new($"code {sec.Name}", off, len, 8, [(0, 1), (1, 1), (2, 2), (4, 4)]));
            else if (sec.Type == ElfConstants.ShtStrtab)
                regions.Add(new($"strings {sec.Name}", off, len));
        }
        return regions;
    }

    /// <summary>Header, type records (as 32-bit words) and string section of a BTF blob at <paramref name="offset"/>.</summary>
    public static IReadOnlyList<Region> OfRawBtf(byte[] bytes, int offset, int length, string prefix)
    {
        var regions = new List<Region> { new($"{prefix} header", offset, Math.Min(24, length), 24, BtfHeaderFields) };
        if (length < 24)
            return regions;
        var s = bytes.AsSpan(offset);
        uint hdrLen = BinaryPrimitives.ReadUInt32LittleEndian(s[4..]), typeOff = BinaryPrimitives.ReadUInt32LittleEndian(s[8..]),
            typeLen = BinaryPrimitives.ReadUInt32LittleEndian(s[12..]), strOff = BinaryPrimitives.ReadUInt32LittleEndian(s[16..]),
            strLen = BinaryPrimitives.ReadUInt32LittleEndian(s[20..]);
        long types = (long)hdrLen + typeOff, strings = (long)hdrLen + strOff;
        if (types + typeLen <= length)
            regions.Add(new($"{prefix} types", offset + (int)types, (int)typeLen, 4, Word));
        if (strings + strLen <= length)
            regions.Add(new($"{prefix} strings", offset + (int)strings, (int)strLen));
        return regions;
    }
}
