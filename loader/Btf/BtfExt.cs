using System.Buffers.Binary;
using BpfLoader.Diagnostics;

namespace BpfLoader.Btf;

/// <summary>
/// The .BTF.ext section of a BPF object: func_info, line_info and (when the header is long enough) core_relo
/// blocks, each a record size followed by per-ELF-section groups (<c>struct btf_ext_info_sec</c>: sec_name_off,
/// num_info, records). Records are decoded into small arrays; section names and the strings records refer to
/// are checked against the object's <see cref="Btf"/>. Malformed input throws <see cref="BpfFormatException"/>
/// naming the object and the info block.
/// </summary>
public sealed class BtfExt
{
    /// <summary>Record sizes the kernel and libbpf know (extra trailing bytes in larger records are ignored).</summary>
    public const int FuncInfoSize = 8, LineInfoSize = 16, CoreReloSize = 16;

    private const int MinHeaderSize = 24;     // up to and including line_info_len
    private const int CoreHeaderSize = 32;    // with core_relo_off/len

    private BtfExt(Btf btf, string source, byte version, byte flags, int hdrLen)
    {
        Btf = btf;
        SourceName = source;
        Version = version;
        Flags = flags;
        HeaderLength = hdrLen;
    }

    /// <summary>The BTF whose type ids and strings the records refer to.</summary>
    public Btf Btf { get; }
    /// <summary>Where the section came from (an object path), for messages.</summary>
    public string SourceName { get; }
    /// <summary>The .BTF.ext header version (1).</summary>
    public byte Version { get; }
    /// <summary>The .BTF.ext header flags (0).</summary>
    public byte Flags { get; }
    /// <summary>The header length as stored; longer headers carry the CO-RE block.</summary>
    public int HeaderLength { get; }

    /// <summary>Record sizes as stored (0 when the block is absent); pass them to the kernel with the records.</summary>
    public int FuncInfoRecSize { get; private set; }
    /// <summary>The line_info record size as stored (0 when absent).</summary>
    public int LineInfoRecSize { get; private set; }
    /// <summary>The CO-RE relocation record size as stored (0 when absent).</summary>
    public int CoreReloRecSize { get; private set; }

    /// <summary>func_info records, grouped by the ELF section of their code.</summary>
    public IReadOnlyList<BtfExtSection<FuncInfo>> FuncInfoSections { get; private set; } = [];
    /// <summary>line_info records, grouped by the ELF section of their code.</summary>
    public IReadOnlyList<BtfExtSection<LineInfo>> LineInfoSections { get; private set; } = [];
    /// <summary>CO-RE relocation records, grouped by the ELF section of their code.</summary>
    public IReadOnlyList<BtfExtSection<CoreRelo>> CoreReloSections { get; private set; } = [];

    /// <summary>func_info records of ELF section <paramref name="sectionName"/> (empty if none).</summary>
    public IReadOnlyList<FuncInfo> GetFuncInfos(string sectionName) => Find(FuncInfoSections, sectionName);

    /// <summary>line_info records of ELF section <paramref name="sectionName"/> (empty if none).</summary>
    public IReadOnlyList<LineInfo> GetLineInfos(string sectionName) => Find(LineInfoSections, sectionName);

    /// <summary>CO-RE relocation records of ELF section <paramref name="sectionName"/> (empty if none).</summary>
    public IReadOnlyList<CoreRelo> GetCoreRelos(string sectionName) => Find(CoreReloSections, sectionName);

    private static IReadOnlyList<T> Find<T>(IReadOnlyList<BtfExtSection<T>> sections, string name)
    {
        foreach (var s in sections)
        {
            if (s.Name == name)
                return s.Records;
        }
        return [];
    }

    /// <summary>Parses .BTF.ext <paramref name="data"/> of the object whose .BTF is <paramref name="btf"/>.</summary>
    public static BtfExt Parse(ReadOnlyMemory<byte> data, Btf btf, string? sourceName = null)
    {
        ArgumentNullException.ThrowIfNull(btf);
        string source = sourceName ?? btf.SourceName;
        var d = data.Span;
        if (d.Length < 8)
            throw Error(source, $"data is too short for a header ({d.Length} bytes)");
        ushort magic = BinaryPrimitives.ReadUInt16LittleEndian(d);
        if (magic == BtfHeader.SwappedMagic)
            throw Error(source, "big-endian .BTF.ext is not supported");
        if (magic != BtfHeader.Magic)
            throw Error(source, $"bad magic 0x{magic:X4} (expected 0xEB9F)");
        if (d[2] != 1)
            throw Error(source, $"unsupported version {d[2]}");
        if (d[3] != 0)
            throw Error(source, $"unsupported flags 0x{d[3]:X2}");
        uint hdrLen = BinaryPrimitives.ReadUInt32LittleEndian(d[4..]);
        if (hdrLen < MinHeaderSize)
            throw Error(source, $"header length {hdrLen} is smaller than {MinHeaderSize}");
        if (hdrLen > (uint)d.Length)
            throw Error(source, $"header length {hdrLen} exceeds the data size ({d.Length} bytes)");

        var ext = new BtfExt(btf, source, d[2], d[3], (int)hdrLen);
        var body = d[(int)hdrLen..];
        ext.FuncInfoSections = ParseBlock<FuncInfo, FuncInfoReader>(body, d[8..], "func_info", FuncInfoSize, source, btf, out int fs);
        ext.FuncInfoRecSize = fs;
        ext.LineInfoSections = ParseBlock<LineInfo, LineInfoReader>(body, d[16..], "line_info", LineInfoSize, source, btf, out int ls);
        ext.LineInfoRecSize = ls;
        if (hdrLen >= CoreHeaderSize)
        {
            ext.CoreReloSections = ParseBlock<CoreRelo, CoreReloReader>(body, d[24..], "core_relo", CoreReloSize, source, btf, out int cs);
            ext.CoreReloRecSize = cs;
        }
        return ext;
    }

    // One reader per record kind, called through a static abstract member so the JIT specializes and inlines
    // the per-record decoding (opening an object decodes thousands of records).
    private interface IRecordReader<T>
    {
        static abstract T Read(ReadOnlySpan<byte> record, Btf btf, RecordFailure failure);
    }

    private readonly struct FuncInfoReader : IRecordReader<FuncInfo>
    {
        public static FuncInfo Read(ReadOnlySpan<byte> r, Btf btf, RecordFailure failure)
            => new(BinaryPrimitives.ReadUInt32LittleEndian(r), CheckTypeId(BinaryPrimitives.ReadUInt32LittleEndian(r[4..]), btf, failure));
    }

    private readonly struct LineInfoReader : IRecordReader<LineInfo>
    {
        public static LineInfo Read(ReadOnlySpan<byte> r, Btf btf, RecordFailure failure)
            => new(BinaryPrimitives.ReadUInt32LittleEndian(r),
                CheckString(BinaryPrimitives.ReadUInt32LittleEndian(r[4..]), btf, "file name", failure),
                CheckString(BinaryPrimitives.ReadUInt32LittleEndian(r[8..]), btf, "line text", failure),
                BinaryPrimitives.ReadUInt32LittleEndian(r[12..]));
    }

    private readonly struct CoreReloReader : IRecordReader<CoreRelo>
    {
        public static CoreRelo Read(ReadOnlySpan<byte> r, Btf btf, RecordFailure failure)
            => new(BinaryPrimitives.ReadUInt32LittleEndian(r),
                CheckTypeId(BinaryPrimitives.ReadUInt32LittleEndian(r[4..]), btf, failure),
                CheckString(BinaryPrimitives.ReadUInt32LittleEndian(r[8..]), btf, "access string", failure),
                (BtfCoreReloKind)BinaryPrimitives.ReadUInt32LittleEndian(r[12..]));
    }

    // One info block: rec_size, then groups of (sec_name_off, num_info, num_info * rec_size bytes).
    private static List<BtfExtSection<T>> ParseBlock<T, TReader>(ReadOnlySpan<byte> body, ReadOnlySpan<byte> offLen, string block,
        int minRecSize, string source, Btf btf, out int recSize) where TReader : IRecordReader<T>
    {
        recSize = 0;
        var result = new List<BtfExtSection<T>>();
        uint off = BinaryPrimitives.ReadUInt32LittleEndian(offLen);
        uint len = BinaryPrimitives.ReadUInt32LittleEndian(offLen[4..]);
        if (len == 0)
            return result;
        if ((off & 3) != 0)
            throw Error(source, $"{block} block offset {off} is not 4-byte aligned");
        if ((long)off + len > body.Length)
            throw Error(source, $"{block} block (offset {off}, length {len}) extends past the end of .BTF.ext ({body.Length} bytes after the header)");
        var info = body.Slice((int)off, (int)len);
        if (info.Length < 4)
            throw Error(source, $"{block} block has no record size");
        uint rs = BinaryPrimitives.ReadUInt32LittleEndian(info);
        if (rs < (uint)minRecSize || (rs & 3) != 0 || rs > 1024)
            throw Error(source, $"{block} block has invalid record size {rs} (minimum {minRecSize}, multiple of 4)");
        recSize = (int)rs;
        info = info[4..];
        if (info.IsEmpty)
            throw Error(source, $"{block} block has no records");
        while (!info.IsEmpty)
        {
            if (info.Length < 8)
                throw Error(source, $"{block} block: section header is truncated ({info.Length} bytes left)");
            uint nameOff = BinaryPrimitives.ReadUInt32LittleEndian(info);
            uint num = BinaryPrimitives.ReadUInt32LittleEndian(info[4..]);
            if (!btf.TryGetStringBytes(nameOff, out var nameBytes) || nameBytes.IsEmpty)
                throw Error(source, $"{block} block: section name offset {nameOff} is not a valid string in .BTF");
            string name = System.Text.Encoding.UTF8.GetString(nameBytes);
            if (num == 0)
                throw Error(source, $"{block} for section '{name}' has no records");
            if ((ulong)num * rs > (ulong)(info.Length - 8))
                throw Error(source, $"{block} for section '{name}' has {num} records of {rs} bytes, more than the {info.Length - 8} bytes left");
            var records = new T[num];
            var recs = info.Slice(8, (int)(num * rs));
            // One error factory per section; the message is formatted only when a record is bad.
            var failure = new RecordFailure(source, block, name);
            for (int i = 0; i < records.Length; i++)
            {
                failure.Index = i;
                records[i] = TReader.Read(recs.Slice(i * (int)rs, (int)rs), btf, failure);
            }
            result.Add(new BtfExtSection<T>(name, nameOff, records));
            info = info[(8 + (int)(num * rs))..];
        }
        return result;
    }

    private static int CheckTypeId(uint id, Btf btf, RecordFailure failure)
        => id <= (uint)btf.LastId ? (int)id : throw failure.Create($"type id {id} is beyond the last type [{btf.LastId}]");

    // A validated string section ends in NUL, so any offset inside it starts a valid string: a bounds check
    // is enough (scanning every line_info's file name and line text made opening an object slow).
    private static uint CheckString(uint off, Btf btf, string what, RecordFailure failure)
        => off < (uint)btf.StringsEnd ? off : throw failure.Create($"{what} offset {off} is outside the .BTF string section");

    private static BpfFormatException Error(string source, string what) => new($"BTF.ext '{source}': {what}");

    private sealed class RecordFailure(string source, string block, string section)
    {
        public int Index;

        public BpfFormatException Create(string what) => Error(source, $"{block} for section '{section}', record #{Index}: {what}");
    }

    // ---- writers for BPF_PROG_LOAD (records already rebased to instruction indexes of one program) ----

    /// <summary>func_info array for BPF_PROG_LOAD (<c>func_info_rec_size</c> = <see cref="FuncInfoSize"/>).</summary>
    public static byte[] EncodeFuncInfos(ReadOnlySpan<FuncInfo> records)
    {
        var result = new byte[records.Length * FuncInfoSize];
        for (int i = 0; i < records.Length; i++)
        {
            var r = result.AsSpan(i * FuncInfoSize);
            BinaryPrimitives.WriteUInt32LittleEndian(r, records[i].InsnOff);
            BinaryPrimitives.WriteUInt32LittleEndian(r[4..], (uint)records[i].TypeId);
        }
        return result;
    }

    /// <summary>line_info array for BPF_PROG_LOAD (<c>line_info_rec_size</c> = <see cref="LineInfoSize"/>).</summary>
    public static byte[] EncodeLineInfos(ReadOnlySpan<LineInfo> records)
    {
        var result = new byte[records.Length * LineInfoSize];
        for (int i = 0; i < records.Length; i++)
        {
            var r = result.AsSpan(i * LineInfoSize);
            BinaryPrimitives.WriteUInt32LittleEndian(r, records[i].InsnOff);
            BinaryPrimitives.WriteUInt32LittleEndian(r[4..], records[i].FileNameOff);
            BinaryPrimitives.WriteUInt32LittleEndian(r[8..], records[i].LineOff);
            BinaryPrimitives.WriteUInt32LittleEndian(r[12..], records[i].LineCol);
        }
        return result;
    }

    /// <summary>core_relo array for BPF_PROG_LOAD's in-kernel CO-RE (<c>core_relo_rec_size</c> = <see cref="CoreReloSize"/>).</summary>
    public static byte[] EncodeCoreRelos(ReadOnlySpan<CoreRelo> records)
    {
        var result = new byte[records.Length * CoreReloSize];
        for (int i = 0; i < records.Length; i++)
        {
            var r = result.AsSpan(i * CoreReloSize);
            BinaryPrimitives.WriteUInt32LittleEndian(r, records[i].InsnOff);
            BinaryPrimitives.WriteUInt32LittleEndian(r[4..], (uint)records[i].TypeId);
            BinaryPrimitives.WriteUInt32LittleEndian(r[8..], records[i].AccessStrOff);
            BinaryPrimitives.WriteUInt32LittleEndian(r[12..], (uint)records[i].Kind);
        }
        return result;
    }
}
