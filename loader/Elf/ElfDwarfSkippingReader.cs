using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;

namespace BpfLoader.Elf;

/// <summary>
/// Reads a BPF object file for <see cref="ElfFile.Open"/> without its DWARF. clang's <c>-g</c> objects are mostly
/// debug info (.debug_* and their .rel.debug_* relocations: 600 of a real CO-RE object's 640 KB), which nothing
/// in the loader reads — BTF carries what it needs, and the static linker reads its inputs itself. The result is a
/// partial <see cref="ElfImage"/>: the first page, the section headers, the section names and every other
/// section, read in a few clustered preads into small arrays (no file-sized buffer to allocate, fault in and free
/// later). Anything unusual about the headers returns null and the caller reads the whole file as before, so
/// malformed input still fails in <see cref="ElfFile.Parse(ElfImage, string)"/> with its usual message.
/// </summary>
internal static class ElfDwarfSkippingReader
{
    private const int HeaderSize = 64, SectionHeaderSize = 64, FirstRead = 4096;
    private const ulong MergeGap = 16 * 1024;

    public static ElfImage? TryRead(string path)
    {
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read);
            long size = RandomAccess.GetLength(handle);
            if (size < HeaderSize || size > int.MaxValue)
                return null;
            var pieces = Read(handle, (ulong)size);
            return pieces is null ? null : new ElfImage((int)size, pieces);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;   // the whole-file read reports it, with the usual errno and message
        }
    }

    private static (ulong Offset, byte[] Bytes)[]? Read(SafeFileHandle handle, ulong size)
    {
        // The first page holds the ELF header and, in clang's layout, the code sections right after it.
        ulong headLength = Math.Min(size, FirstRead);
        var head = ReadRange(handle, size, 0, headLength);
        if (head is null || head[4] != 2 || head[5] != 1)
            return null;
        ulong shoff = BinaryPrimitives.ReadUInt64LittleEndian(head.AsSpan(40));
        ushort shentsize = BinaryPrimitives.ReadUInt16LittleEndian(head.AsSpan(58));
        ushort shnum = BinaryPrimitives.ReadUInt16LittleEndian(head.AsSpan(60));
        ushort shstrndx = BinaryPrimitives.ReadUInt16LittleEndian(head.AsSpan(62));
        if (shentsize != SectionHeaderSize || shnum == 0 || shstrndx >= shnum)
            return null;
        var headers = ReadRange(handle, size, shoff, (ulong)shnum * SectionHeaderSize);
        if (headers is null)
            return null;
        var (namesOff, namesSize) = Range(headers, shstrndx);
        var names = ReadRange(handle, size, namesOff, namesSize);
        if (names is null)
            return null;
        var pieces = new List<(ulong Offset, byte[] Bytes)> { (0, head), (shoff, headers), (namesOff, names) };

        var wanted = new List<(ulong Offset, ulong End)>(shnum);
        for (int i = 1; i < shnum; i++)
        {
            var h = headers.AsSpan(i * SectionHeaderSize, SectionHeaderSize);
            if (BinaryPrimitives.ReadUInt32LittleEndian(h[4..]) == ElfConstants.ShtNobits || i == shstrndx)
                continue;
            var (off, len) = Range(headers, i);
            if (off > size || len > size - off)
                return null;
            if (len != 0 && off + len > headLength && !IsDwarf(names, BinaryPrimitives.ReadUInt32LittleEndian(h)))
                wanted.Add((off, off + len));
        }
        // Sections sit in a few clusters between the DWARF blocks: one read per cluster (a gap below MergeGap is
        // read along), so the syscall count stays near the whole-file read's.
        wanted.Sort();
        for (int i = 0; i < wanted.Count;)
        {
            ulong start = wanted[i].Offset, end = wanted[i].End;
            for (i++; i < wanted.Count && wanted[i].Offset <= end + MergeGap; i++)
                end = Math.Max(end, wanted[i].End);
            var bytes = ReadRange(handle, size, start, end - start);
            if (bytes is null)
                return null;
            pieces.Add((start, bytes));
        }
        return [.. pieces.OrderBy(p => p.Offset)];
    }

    private static (ulong Offset, ulong Size) Range(byte[] headers, int index)
    {
        var h = headers.AsSpan(index * SectionHeaderSize, SectionHeaderSize);
        return (BinaryPrimitives.ReadUInt64LittleEndian(h[24..]), BinaryPrimitives.ReadUInt64LittleEndian(h[32..]));
    }

    private static bool IsDwarf(byte[] names, uint offset)
    {
        if (offset >= (uint)names.Length)
            return false;
        var name = names.AsSpan((int)offset);
        return name.StartsWith(".debug_"u8) || name.StartsWith(".rel.debug_"u8);
    }

    // pread of [offset, offset + length); null when that is not inside the file or the file ends early.
    private static byte[]? ReadRange(SafeFileHandle handle, ulong size, ulong offset, ulong length)
    {
        if (offset > size || length > size - offset)
            return null;
        var bytes = GC.AllocateUninitializedArray<byte>((int)length);   // every byte is read into below
        var target = bytes.AsSpan();
        while (!target.IsEmpty)
        {
            int n = RandomAccess.Read(handle, target, (long)offset);
            if (n <= 0)
                return null;
            target = target[n..];
            offset += (ulong)n;
        }
        return bytes;
    }
}
