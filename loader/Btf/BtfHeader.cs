using System.Buffers.Binary;
using BpfLoader.Diagnostics;

namespace BpfLoader.Btf;

/// <summary>
/// <c>struct btf_header</c>: magic, version, flags, hdr_len, then type and string section offsets/lengths
/// relative to the end of the header. Only little-endian BTF is accepted (the loader targets x86-64/arm64 LE).
/// </summary>
internal readonly record struct BtfHeader(byte Version, byte Flags, int HdrLen, int TypeOff, int TypeLen, int StrOff, int StrLen)
{
    public const ushort Magic = 0xEB9F;
    public const ushort SwappedMagic = 0x9FEB;
    public const int MinSize = 24;

    /// <summary>Reads and bounds-checks the header of a BTF blob of <paramref name="data"/>.Length bytes.</summary>
    public static BtfHeader Read(ReadOnlySpan<byte> data, string source)
    {
        if (data.Length < MinSize)
            throw Error(source, $"data is too short for a BTF header ({data.Length} bytes, need {MinSize})");
        ushort magic = BinaryPrimitives.ReadUInt16LittleEndian(data);
        if (magic == SwappedMagic)
            throw Error(source, "big-endian BTF is not supported (magic 0x9FEB)");
        if (magic != Magic)
            throw Error(source, $"bad magic 0x{magic:X4} (expected 0xEB9F)");
        byte version = data[2];
        if (version != 1)
            throw Error(source, $"unsupported BTF version {version}");
        uint hdrLen = BinaryPrimitives.ReadUInt32LittleEndian(data[4..]);
        if (hdrLen < MinSize)
            throw Error(source, $"header length {hdrLen} is smaller than {MinSize}");
        if (hdrLen > (uint)data.Length)
            throw Error(source, $"header length {hdrLen} exceeds the data size ({data.Length} bytes)");
        uint typeOff = BinaryPrimitives.ReadUInt32LittleEndian(data[8..]);
        uint typeLen = BinaryPrimitives.ReadUInt32LittleEndian(data[12..]);
        uint strOff = BinaryPrimitives.ReadUInt32LittleEndian(data[16..]);
        uint strLen = BinaryPrimitives.ReadUInt32LittleEndian(data[20..]);
        long avail = data.Length - hdrLen;
        // 64-bit sums: a crafted off+len must not wrap around and pass.
        if ((long)typeOff + typeLen > avail)
            throw Error(source, $"type section (offset {typeOff}, length {typeLen}) extends past the end of the data ({avail} bytes after the header)");
        if ((long)strOff + strLen > avail)
            throw Error(source, $"string section (offset {strOff}, length {strLen}) extends past the end of the data ({avail} bytes after the header)");
        if ((typeOff & 3) != 0)
            throw Error(source, $"type section offset {typeOff} is not 4-byte aligned");
        // libbpf's layout rule: types come first and do not overlap the strings.
        if ((long)typeOff + typeLen > strOff)
            throw Error(source, $"invalid section layout: types at {typeOff}+{typeLen} overlap strings at {strOff}+{strLen}");
        return new BtfHeader(version, data[3], (int)hdrLen, (int)typeOff, (int)typeLen, (int)strOff, (int)strLen);
    }

    /// <summary>Writes magic/version/flags/hdr_len and the four section fields into <paramref name="dest"/>.</summary>
    public static void Write(Span<byte> dest, byte flags, int hdrLen, int typeLen, int strLen)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(dest, Magic);
        dest[2] = 1;
        dest[3] = flags;
        BinaryPrimitives.WriteUInt32LittleEndian(dest[4..], (uint)hdrLen);
        BinaryPrimitives.WriteUInt32LittleEndian(dest[8..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(dest[12..], (uint)typeLen);
        BinaryPrimitives.WriteUInt32LittleEndian(dest[16..], (uint)typeLen);
        BinaryPrimitives.WriteUInt32LittleEndian(dest[20..], (uint)strLen);
    }

    public static BpfFormatException Error(string source, string what) => new($"BTF '{source}': {what}");
}
