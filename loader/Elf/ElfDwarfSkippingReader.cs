using System.Buffers.Binary;
using BpfLoader.Btf;
using Microsoft.Win32.SafeHandles;

namespace BpfLoader.Elf;

/// <summary>
/// Reads a BPF object file for <see cref="ElfFile.Open"/> without its DWARF. clang's <c>-g</c> objects are mostly
/// debug info (.debug_* and their .rel.debug_* relocations: 600 of a real CO-RE object's 640 KB), which nothing
/// in the loader reads — BTF carries what it needs, and the static linker reads its inputs itself. The result has
/// the file's size and layout, every other section read in place and the DWARF ranges left as zeros (never read,
/// so never copied or faulted in). Anything unusual about the headers returns null and the caller reads the whole
/// file as before, so malformed input still fails in <see cref="ElfFile.Parse"/> with its usual message.
/// </summary>
internal static class ElfDwarfSkippingReader
{
    private const int HeaderSize = 64, SectionHeaderSize = 64;
    private const ulong MergeGap = 16 * 1024;
    private const int FirstRead = 4096;

    public static ReadOnlyMemory<byte>? TryRead(string path)
    {
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read);
            long size = RandomAccess.GetLength(handle);
            if (size < HeaderSize || size > int.MaxValue)
                return null;
            var data = BtfFileData.AllocateZeroed((int)size);
            return Fill(handle, data.GetSpan()) ? data.Memory : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;   // the whole-file read reports it, with the usual errno and message
        }
    }

    private static bool Fill(SafeFileHandle handle, Span<byte> file)
    {
        // The first page holds the ELF header and, in clang's layout, the code sections right after it.
        ulong head = (ulong)Math.Min(file.Length, FirstRead);
        if (!ReadRange(handle, file, 0, head))
            return false;
        ulong shoff = BinaryPrimitives.ReadUInt64LittleEndian(file[40..]);
        ushort shentsize = BinaryPrimitives.ReadUInt16LittleEndian(file[58..]);
        ushort shnum = BinaryPrimitives.ReadUInt16LittleEndian(file[60..]);
        ushort shstrndx = BinaryPrimitives.ReadUInt16LittleEndian(file[62..]);
        if (file[4] != 2 || file[5] != 1 || shentsize != SectionHeaderSize || shnum == 0 || shstrndx >= shnum
            || !ReadRange(handle, file, shoff, (ulong)shnum * SectionHeaderSize))
            return false;
        var headers = file.Slice((int)shoff, shnum * SectionHeaderSize);
        var (nameTableOff, nameTableSize) = Range(headers, shstrndx);
        if (!ReadRange(handle, file, nameTableOff, nameTableSize))
            return false;
        var names = file.Slice((int)nameTableOff, (int)nameTableSize);
        var wanted = new List<(ulong Offset, ulong End)>(shnum);
        for (int i = 1; i < shnum; i++)
        {
            var h = headers.Slice(i * SectionHeaderSize, SectionHeaderSize);
            if (BinaryPrimitives.ReadUInt32LittleEndian(h[4..]) == ElfConstants.ShtNobits || i == shstrndx)
                continue;
            var (off, len) = Range(headers, i);
            if (off > (ulong)file.Length || len > (ulong)file.Length - off)
                return false;
            if (len != 0 && off + len > head && !IsDwarf(names, BinaryPrimitives.ReadUInt32LittleEndian(h)))
                wanted.Add((off, off + len));
        }
        // Sections sit in a few clusters between the DWARF blocks: one read per cluster (a gap below
        // MergeGap is read along) keeps the syscall count near the whole-file read's.
        wanted.Sort();
        for (int i = 0; i < wanted.Count;)
        {
            ulong start = wanted[i].Offset, end = wanted[i].End;
            for (i++; i < wanted.Count && wanted[i].Offset <= end + MergeGap; i++)
                end = Math.Max(end, wanted[i].End);
            if (!ReadRange(handle, file, start, end - start))
                return false;
        }
        return true;
    }

    private static (ulong Offset, ulong Size) Range(ReadOnlySpan<byte> headers, int index)
    {
        var h = headers.Slice(index * SectionHeaderSize, SectionHeaderSize);
        return (BinaryPrimitives.ReadUInt64LittleEndian(h[24..]), BinaryPrimitives.ReadUInt64LittleEndian(h[32..]));
    }

    private static bool IsDwarf(ReadOnlySpan<byte> names, uint offset)
    {
        if (offset >= (uint)names.Length)
            return false;
        var name = names[(int)offset..];
        return name.StartsWith(".debug_"u8) || name.StartsWith(".rel.debug_"u8);
    }

    // pread of [offset, offset + length) into the same place of the buffer; false when it is not inside the file.
    private static bool ReadRange(SafeFileHandle handle, Span<byte> file, ulong offset, ulong length)
    {
        if (offset > (ulong)file.Length || length > (ulong)file.Length - offset)
            return false;
        var target = file.Slice((int)offset, (int)length);
        while (!target.IsEmpty)
        {
            int n = RandomAccess.Read(handle, target, (long)offset);
            if (n <= 0)
                return false;
            target = target[n..];
            offset += (ulong)n;
        }
        return true;
    }
}
