using System.Buffers.Binary;

namespace BpfLoader.Elf;

/// <summary>One section to write: header fields and bytes (for NOBITS only <see cref="Size"/> counts).</summary>
internal sealed record ElfOutputSection(uint NameOffset, uint Type, ulong Flags, ulong Alignment, ulong EntrySize,
    uint Link, uint Info, ReadOnlyMemory<byte> Data, ulong Size);

/// <summary>
/// Writes a little-endian ELF64 relocatable BPF object with libelf's default layout: the 64-byte header, each
/// section in index order at the next offset aligned to its alignment (NOBITS take no bytes), then the section
/// header table 8-aligned. Section 0 is the null section; <c>e_shstrndx</c> is given by the caller.
/// </summary>
internal static class ElfWriter
{
    private const int HeaderSize = 64, SectionHeaderSize = 64;

    /// <param name="sections">Sections 1..n (the null section is added).</param>
    public static byte[] Write(IReadOnlyList<ElfOutputSection> sections, int shstrndx)
    {
        var offsets = new long[sections.Count];
        long pos = HeaderSize;
        for (int i = 0; i < sections.Count; i++)
        {
            long align = (long)Math.Max(sections[i].Alignment, 1);
            pos = (pos + align - 1) / align * align;
            offsets[i] = pos;
            if (sections[i].Type != ElfConstants.ShtNobits)
                pos += (long)sections[i].Size;
        }
        long shoff = (pos + 7) / 8 * 8;
        var file = new byte[shoff + (long)(sections.Count + 1) * SectionHeaderSize];
        var s = file.AsSpan();
        s[0] = 0x7f;
        s[1] = (byte)'E';
        s[2] = (byte)'L';
        s[3] = (byte)'F';
        s[4] = 2;   // ELFCLASS64
        s[5] = 1;   // ELFDATA2LSB
        s[6] = 1;   // EV_CURRENT
        BinaryPrimitives.WriteUInt16LittleEndian(s[16..], ElfConstants.EtRel);
        BinaryPrimitives.WriteUInt16LittleEndian(s[18..], ElfConstants.EmBpf);
        BinaryPrimitives.WriteUInt32LittleEndian(s[20..], 1);
        BinaryPrimitives.WriteUInt64LittleEndian(s[40..], (ulong)shoff);
        BinaryPrimitives.WriteUInt16LittleEndian(s[52..], HeaderSize);
        BinaryPrimitives.WriteUInt16LittleEndian(s[58..], SectionHeaderSize);
        BinaryPrimitives.WriteUInt16LittleEndian(s[60..], (ushort)(sections.Count + 1));
        BinaryPrimitives.WriteUInt16LittleEndian(s[62..], (ushort)shstrndx);
        for (int i = 0; i < sections.Count; i++)
        {
            var sec = sections[i];
            if (sec.Type != ElfConstants.ShtNobits)
                sec.Data.Span[..(int)sec.Size].CopyTo(s[(int)offsets[i]..]);
            var h = s.Slice((int)shoff + (i + 1) * SectionHeaderSize, SectionHeaderSize);
            BinaryPrimitives.WriteUInt32LittleEndian(h, sec.NameOffset);
            BinaryPrimitives.WriteUInt32LittleEndian(h[4..], sec.Type);
            BinaryPrimitives.WriteUInt64LittleEndian(h[8..], sec.Flags);
            BinaryPrimitives.WriteUInt64LittleEndian(h[24..], (ulong)offsets[i]);
            BinaryPrimitives.WriteUInt64LittleEndian(h[32..], sec.Size);
            BinaryPrimitives.WriteUInt32LittleEndian(h[40..], sec.Link);
            BinaryPrimitives.WriteUInt32LittleEndian(h[44..], sec.Info);
            BinaryPrimitives.WriteUInt64LittleEndian(h[48..], sec.Alignment);
            BinaryPrimitives.WriteUInt64LittleEndian(h[56..], sec.EntrySize);
        }
        return file;
    }
}
