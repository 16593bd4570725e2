using System.Buffers.Binary;
using BpfLoader.Diagnostics;

namespace BpfLoader.Btf;

/// <summary>
/// The .BTF.ext section of a BPF object: func_info, line_info and (when the header is long enough) core_relo
/// blocks, each a record size followed by per-ELF-section groups (<c>struct btf_ext_info_sec</c>: sec_name_off,
/// num_info, records). <see cref="Parse"/> checks everything — layout, section names, every record's type id and
/// string offsets against the object's <see cref="Btf"/> — so malformed input still throws
/// <see cref="BpfFormatException"/> (naming the object and the info block) when the object is opened; a section's
/// records are only decoded into an array the first time they are read (opening does not need most of them).
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

    public Btf Btf { get; }
    public string SourceName { get; }
    public byte Version { get; }
    public byte Flags { get; }
    public int HeaderLength { get; }

    /// <summary>Record sizes as stored (0 when the block is absent); pass them to the kernel with the records.</summary>
    public int FuncInfoRecSize { get; private set; }
    public int LineInfoRecSize { get; private set; }
    public int CoreReloRecSize { get; private set; }

    public IReadOnlyList<BtfExtSection<FuncInfo>> FuncInfoSections { get; private set; } = [];
    public IReadOnlyList<BtfExtSection<LineInfo>> LineInfoSections { get; private set; } = [];
    public IReadOnlyList<BtfExtSection<CoreRelo>> CoreReloSections { get; private set; } = [];

    /// <summary>func_info records of ELF section <paramref name="sectionName"/> (empty if none).</summary>
    public IReadOnlyList<FuncInfo> GetFuncInfos(string sectionName) => Find(FuncInfoSections, sectionName);

    public IReadOnlyList<LineInfo> GetLineInfos(string sectionName) => Find(LineInfoSections, sectionName);

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
        var body = data[(int)hdrLen..];
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

    // One reader per record kind, called through static abstract members so the JIT specializes and inlines
    // the per-record work (opening an object checks thousands of records). Check runs at open; Decode, which
    // cannot fail on checked records, runs when a section's records are first read.
    private interface IRecordReader<T>
    {
        static abstract void Check(ReadOnlySpan<byte> record, Btf btf, RecordFailure failure);

        static abstract T Decode(ReadOnlySpan<byte> record);
    }

    private readonly struct FuncInfoReader : IRecordReader<FuncInfo>
    {
        public static void Check(ReadOnlySpan<byte> r, Btf btf, RecordFailure failure)
            => CheckTypeId(BinaryPrimitives.ReadUInt32LittleEndian(r[4..]), btf, failure);

        public static FuncInfo Decode(ReadOnlySpan<byte> r)
            => new(BinaryPrimitives.ReadUInt32LittleEndian(r), (int)BinaryPrimitives.ReadUInt32LittleEndian(r[4..]));
    }

    private readonly struct LineInfoReader : IRecordReader<LineInfo>
    {
        public static void Check(ReadOnlySpan<byte> r, Btf btf, RecordFailure failure)
        {
            CheckString(BinaryPrimitives.ReadUInt32LittleEndian(r[4..]), btf, "file name", failure);
            CheckString(BinaryPrimitives.ReadUInt32LittleEndian(r[8..]), btf, "line text", failure);
        }

        public static LineInfo Decode(ReadOnlySpan<byte> r)
            => new(BinaryPrimitives.ReadUInt32LittleEndian(r), BinaryPrimitives.ReadUInt32LittleEndian(r[4..]),
                BinaryPrimitives.ReadUInt32LittleEndian(r[8..]), BinaryPrimitives.ReadUInt32LittleEndian(r[12..]));
    }

    private readonly struct CoreReloReader : IRecordReader<CoreRelo>
    {
        public static void Check(ReadOnlySpan<byte> r, Btf btf, RecordFailure failure)
        {
            CheckTypeId(BinaryPrimitives.ReadUInt32LittleEndian(r[4..]), btf, failure);
            CheckString(BinaryPrimitives.ReadUInt32LittleEndian(r[8..]), btf, "access string", failure);
        }

        public static CoreRelo Decode(ReadOnlySpan<byte> r)
            => new(BinaryPrimitives.ReadUInt32LittleEndian(r), (int)BinaryPrimitives.ReadUInt32LittleEndian(r[4..]),
                BinaryPrimitives.ReadUInt32LittleEndian(r[8..]), (BtfCoreReloKind)BinaryPrimitives.ReadUInt32LittleEndian(r[12..]));
    }

    /// <summary>A section's checked records, decoded into an array on first read (a benign race decodes twice).</summary>
    private sealed class LazyRecords<T, TReader>(ReadOnlyMemory<byte> records, int recSize, int count) : IReadOnlyList<T>
        where TReader : IRecordReader<T>
    {
        private T[]? _decoded;

        public int Count => count;

        public T this[int index] => Decoded[index];

        private T[] Decoded => _decoded ??= Decode();

        private T[] Decode()
        {
            var result = new T[count];
            var span = records.Span;
            for (int i = 0; i < result.Length; i++)
                result[i] = TReader.Decode(span.Slice(i * recSize, recSize));
            return result;
        }

        public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)Decoded).GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    // One info block: rec_size, then groups of (sec_name_off, num_info, num_info * rec_size bytes).
    private static List<BtfExtSection<T>> ParseBlock<T, TReader>(ReadOnlyMemory<byte> body, ReadOnlySpan<byte> offLen, string block,
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
        var infoMemory = body.Slice((int)off, (int)len);
        var info = infoMemory.Span;
        if (info.Length < 4)
            throw Error(source, $"{block} block has no record size");
        uint rs = BinaryPrimitives.ReadUInt32LittleEndian(info);
        if (rs < (uint)minRecSize || (rs & 3) != 0 || rs > 1024)
            throw Error(source, $"{block} block has invalid record size {rs} (minimum {minRecSize}, multiple of 4)");
        recSize = (int)rs;
        int pos = 4;
        if (pos == info.Length)
            throw Error(source, $"{block} block has no records");
        while (pos < info.Length)
        {
            int left = info.Length - pos;
            if (left < 8)
                throw Error(source, $"{block} block: section header is truncated ({left} bytes left)");
            uint nameOff = BinaryPrimitives.ReadUInt32LittleEndian(info[pos..]);
            uint num = BinaryPrimitives.ReadUInt32LittleEndian(info[(pos + 4)..]);
            if (!btf.TryGetStringBytes(nameOff, out var nameBytes) || nameBytes.IsEmpty)
                throw Error(source, $"{block} block: section name offset {nameOff} is not a valid string in .BTF");
            string name = System.Text.Encoding.UTF8.GetString(nameBytes);
            if (num == 0)
                throw Error(source, $"{block} for section '{name}' has no records");
            if ((ulong)num * rs > (ulong)(left - 8))
                throw Error(source, $"{block} for section '{name}' has {num} records of {rs} bytes, more than the {left - 8} bytes left");
            int bytes = (int)(num * rs);
            var recs = info.Slice(pos + 8, bytes);
            // One error factory per section; the message is formatted only when a record is bad.
            var failure = new RecordFailure(source, block, name);
            for (int i = 0; i < (int)num; i++)
            {
                failure.Index = i;
                TReader.Check(recs.Slice(i * (int)rs, (int)rs), btf, failure);
            }
            result.Add(new BtfExtSection<T>(name, nameOff, new LazyRecords<T, TReader>(infoMemory.Slice(pos + 8, bytes), (int)rs, (int)num)));
            pos += 8 + bytes;
        }
        return result;
    }

    private static void CheckTypeId(uint id, Btf btf, RecordFailure failure)
    {
        if (id > (uint)btf.LastId)
            throw failure.Create($"type id {id} is beyond the last type [{btf.LastId}]");
    }

    // A validated string section ends in NUL, so any offset inside it starts a valid string: a bounds check
    // is enough (scanning every line_info's file name and line text made opening an object slow).
    private static void CheckString(uint off, Btf btf, string what, RecordFailure failure)
    {
        if (off >= (uint)btf.StringsEnd)
            throw failure.Create($"{what} offset {off} is outside the .BTF string section");
    }

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
