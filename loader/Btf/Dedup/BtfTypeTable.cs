using System.Buffers.Binary;
using System.Runtime.InteropServices;
using BpfLoader.Diagnostics;

namespace BpfLoader.Btf.Dedup;

/// <summary>
/// A mutable, non-split BTF held as raw 32-bit words (each type record exactly as in the type section) plus
/// a <see cref="BtfStringSet"/>. It is the working form of the linker and of <see cref="BtfDeduplicator"/>:
/// type ids and string offsets are rewritten in place, records are appended, nothing is decoded into objects.
/// Id 0 is void and has no record. Records are little-endian words (the only byte order the loader handles).
/// </summary>
internal sealed class BtfTypeTable
{
    private uint[] _words;
    private int _wordLen;
    private int[] _start;   // _start[id] = first word of type id; _start[0] unused
    private int _count;     // ids 1.._count

    public BtfTypeTable(BtfStringSet? strings = null, int capacityWords = 1024)
    {
        Strings = strings ?? new BtfStringSet();
        _words = new uint[Math.Max(capacityWords, 16)];
        _start = new int[64];
    }

    public BtfStringSet Strings { get; private set; }

    /// <summary>Number of ids including void (the next id to be added).</summary>
    public int TypeCount => _count + 1;

    public int LastId => _count;

    /// <summary>A copy of a parsed, non-split <see cref="Btf"/>'s types and strings.</summary>
    public static BtfTypeTable FromBtf(Btf btf)
    {
        if (btf.Base is not null)
            throw new ArgumentException("split BTF is not supported here", nameof(btf));
        var table = new BtfTypeTable(BtfStringSet.FromRaw(btf.StringData), btf.TypeSectionLength / 4 + 16);
        var words = MemoryMarshal.Cast<byte, uint>(btf.TypeData);
        words.CopyTo(table._words);
        table._wordLen = words.Length;
        table._start = new int[btf.LastId + 2];
        for (int id = 1; id <= btf.LastId; id++)
            table._start[id] = btf.OffsetOf(id) / 4;
        table._count = btf.LastId;
        GC.KeepAlive(btf);
        return table;
    }

    /// <summary>Parses raw .BTF bytes (validated by <see cref="Btf.Parse"/>) into a table.</summary>
    public static BtfTypeTable Parse(ReadOnlyMemory<byte> data, string source) => FromBtf(Btf.Parse(data, null, source));

    /// <summary>The record words of <paramref name="id"/> (writable).</summary>
    public Span<uint> Record(int id)
    {
        if (id == 0)
            return Span<uint>.Empty;
        int s = _start[id];
        int end = id < _count ? _start[id + 1] : _wordLen;
        return _words.AsSpan(s, end - s);
    }

    public uint Info(int id) => id == 0 ? 0 : _words[_start[id] + 1];

    public BtfKind Kind(int id) => (BtfKind)((Info(id) >> 24) & 0x1f);

    public int Vlen(int id) => (int)(Info(id) & 0xffff);

    public bool KindFlag(int id) => (Info(id) >> 31) != 0;

    public uint NameOff(int id) => id == 0 ? 0 : _words[_start[id]];

    public string Name(int id) => Strings.Get(NameOff(id));

    /// <summary>The third word: size or referenced type id depending on the kind.</summary>
    public uint SizeOrType(int id) => id == 0 ? 0 : _words[_start[id] + 2];

    public void SetSizeOrType(int id, uint value) => _words[_start[id] + 2] = value;

    /// <summary>Appends a record (copied) and returns its id.</summary>
    public int Add(ReadOnlySpan<uint> record)
    {
        if (_wordLen + record.Length > _words.Length)
            Array.Resize(ref _words, Math.Max(_words.Length * 2, _wordLen + record.Length));
        if (_count + 2 > _start.Length)
            Array.Resize(ref _start, _start.Length * 2);
        record.CopyTo(_words.AsSpan(_wordLen));
        _start[++_count] = _wordLen;
        _wordLen += record.Length;
        return _count;
    }

    /// <summary>Builds a type's info word.</summary>
    public static uint MakeInfo(BtfKind kind, int vlen, bool kindFlag = false)
        => ((uint)kind << 24) | (uint)(vlen & 0xffff) | (kindFlag ? 1u << 31 : 0);

    /// <summary>
    /// Keeps, in order, only the types whose <paramref name="keep"/> flag is set (index = old id): the kept
    /// records move down in place, so ids shrink. Type-id fields are not rewritten (the caller remaps them).
    /// </summary>
    public void Compact(ReadOnlySpan<bool> keep)
    {
        int kept = 0, write = 0;
        for (int id = 1; id <= _count; id++)
        {
            if (!keep[id])
                continue;
            var rec = Record(id);   // read before _start[kept + 1] (kept + 1 <= id) is overwritten
            rec.CopyTo(_words.AsSpan(write));
            _start[++kept] = write;
            write += rec.Length;
        }
        _count = kept;
        _wordLen = write;
    }

    /// <summary>Replaces the string section (after string deduplication rewrote every offset).</summary>
    public void ReplaceStrings(BtfStringSet strings) => Strings = strings;

    /// <summary>Raw .BTF: 24-byte header (version 1, flags 0), the type section, then the string section.</summary>
    public byte[] ToBytes()
    {
        int typeLen = _wordLen * 4, strLen = Strings.Length;
        var result = new byte[24 + typeLen + strLen];
        BinaryPrimitives.WriteUInt16LittleEndian(result, 0xEB9F);
        result[2] = 1;
        BinaryPrimitives.WriteUInt32LittleEndian(result.AsSpan(4), 24);
        BinaryPrimitives.WriteUInt32LittleEndian(result.AsSpan(8), 0);
        BinaryPrimitives.WriteUInt32LittleEndian(result.AsSpan(12), (uint)typeLen);
        BinaryPrimitives.WriteUInt32LittleEndian(result.AsSpan(16), (uint)typeLen);
        BinaryPrimitives.WriteUInt32LittleEndian(result.AsSpan(20), (uint)strLen);
        MemoryMarshal.AsBytes(_words.AsSpan(0, _wordLen)).CopyTo(result.AsSpan(24));
        Strings.Data.CopyTo(result.AsSpan(24 + typeLen));
        return result;
    }

    /// <summary>
    /// Checks what the rest of this code relies on: every kind known, every type-id field below
    /// <see cref="TypeCount"/>, every string offset inside the string section. Violations throw
    /// <see cref="BpfFormatException"/> with <paramref name="source"/> (libbpf rejects these silently with -EINVAL).
    /// </summary>
    public void Validate(string source)
    {
        for (int id = 1; id <= _count; id++)
        {
            var rec = Record(id);
            if (BtfKinds.RecordSize(Kind(id), Vlen(id)) != rec.Length * 4)
                throw new BpfFormatException($"BTF '{source}': type [{id}] has an unknown kind or a bad length", Errno.EINVAL);
            foreach (int slot in BtfTypeSlots.TypeIdSlots(Kind(id), Vlen(id)))
            {
                if (rec[slot] >= (uint)TypeCount)
                    throw new BpfFormatException($"BTF '{source}': type [{id}] references missing type [{rec[slot]}]", Errno.EINVAL);
            }
            foreach (int slot in BtfTypeSlots.StringSlots(Kind(id), Vlen(id)))
            {
                if (!Strings.IsValidOffset(rec[slot]))
                    throw new BpfFormatException($"BTF '{source}': type [{id}] has an invalid string offset {rec[slot]}", Errno.EINVAL);
            }
        }
    }
}
