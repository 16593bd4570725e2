using System.Buffers.Binary;
using System.Collections;

namespace BpfLoader.Btf;

/// <summary>A fixed-size record following a <c>btf_type</c> (member, param, enum value, var info), decoded on access.</summary>
public interface IBtfRecord<TSelf> where TSelf : struct, IBtfRecord<TSelf>
{
    /// <summary>Decodes one record; <paramref name="kindFlag"/> is the owning type's kind_flag.</summary>
    static abstract TSelf Read(Btf btf, ReadOnlySpan<byte> record, bool kindFlag);
}

/// <summary>
/// The vlen records of one type, decoded one at a time on indexing/enumeration (no array is built).
/// Enumerate with <c>foreach</c> to use the allocation-free struct enumerator.
/// </summary>
public readonly struct BtfRecordList<T> : IReadOnlyList<T> where T : struct, IBtfRecord<T>
{
    private readonly Btf _btf;
    private readonly int _off;
    private readonly int _recSize;
    private readonly bool _kindFlag;

    internal BtfRecordList(Btf btf, int off, int count, int recSize, bool kindFlag)
    {
        _btf = btf;
        _off = off;
        Count = count;
        _recSize = recSize;
        _kindFlag = kindFlag;
    }

    /// <summary>The number of records.</summary>
    public int Count { get; }

    /// <summary>The record at <paramref name="index"/>, decoded on access.</summary>
    public T this[int index]
    {
        get
        {
            if ((uint)index >= (uint)Count)
                throw new ArgumentOutOfRangeException(nameof(index), index, $"record index must be below {Count}");
            return T.Read(_btf, _btf.TypeData.Slice(_off + index * _recSize, _recSize), _kindFlag);
        }
    }

    /// <summary>An allocation-free enumerator over the records.</summary>
    public Enumerator GetEnumerator() => new(this);

    IEnumerator<T> IEnumerable<T>.GetEnumerator() => GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Enumerates a <see cref="BtfRecordList{T}"/> without allocating.</summary>
    public struct Enumerator : IEnumerator<T>
    {
        private readonly BtfRecordList<T> _list;
        private int _index;

        internal Enumerator(BtfRecordList<T> list)
        {
            _list = list;
            _index = -1;
        }

        /// <inheritdoc/>
        public readonly T Current => _list[_index];

        readonly object IEnumerator.Current => Current;

        /// <inheritdoc/>
        public bool MoveNext() => ++_index < _list.Count;

        /// <inheritdoc/>
        public void Reset() => _index = -1;

        /// <inheritdoc/>
        public readonly void Dispose()
        {
        }
    }
}

/// <summary><c>struct btf_member</c>; with kind_flag the offset word packs bitfield size (bits 24-31) and bit offset (0-23).</summary>
public readonly struct BtfMember : IBtfRecord<BtfMember>
{
    private readonly Btf _btf;

    private BtfMember(Btf btf, uint nameOffset, int type, uint rawOffset, bool kindFlag)
    {
        _btf = btf;
        NameOffset = nameOffset;
        Type = type;
        RawOffset = rawOffset;
        BitOffset = kindFlag ? rawOffset & 0xffffff : rawOffset;
        BitfieldSize = kindFlag ? rawOffset >> 24 : 0;
    }

    /// <summary>The name's offset in the string section.</summary>
    public uint NameOffset { get; }
    /// <summary>The type id of the member, parameter or variable.</summary>
    public int Type { get; }
    /// <summary>The offset word as stored: bits, or with the kind flag bitfield size and bit offset packed.</summary>
    public uint RawOffset { get; }
    /// <summary>The member's offset in bits from the start of the struct.</summary>
    public uint BitOffset { get; }
    /// <summary>The bitfield width in bits (0 for a plain member).</summary>
    public uint BitfieldSize { get; }
    /// <summary>The name (empty for anonymous).</summary>
    public string Name => _btf.GetString(NameOffset);

    /// <summary>Decodes one record from <paramref name="r"/>.</summary>
    public static BtfMember Read(Btf btf, ReadOnlySpan<byte> r, bool kindFlag)
        => new(btf, BinaryPrimitives.ReadUInt32LittleEndian(r), (int)BinaryPrimitives.ReadUInt32LittleEndian(r[4..]),
            BinaryPrimitives.ReadUInt32LittleEndian(r[8..]), kindFlag);

    /// <inheritdoc/>
    public override string ToString() => $"'{Name}' type_id={Type} bits_offset={BitOffset}" + (BitfieldSize != 0 ? $" bitfield_size={BitfieldSize}" : "");
}

/// <summary><c>struct btf_param</c>.</summary>
public readonly struct BtfParam : IBtfRecord<BtfParam>
{
    private readonly Btf _btf;

    private BtfParam(Btf btf, uint nameOffset, int type)
    {
        _btf = btf;
        NameOffset = nameOffset;
        Type = type;
    }

    /// <summary>The name's offset in the string section.</summary>
    public uint NameOffset { get; }
    /// <summary>The parameter's type id (0 for <c>...</c>).</summary>
    public int Type { get; }
    /// <summary>The name (empty for anonymous).</summary>
    public string Name => _btf.GetString(NameOffset);

    /// <summary>Decodes one record from <paramref name="r"/>.</summary>
    public static BtfParam Read(Btf btf, ReadOnlySpan<byte> r, bool kindFlag)
        => new(btf, BinaryPrimitives.ReadUInt32LittleEndian(r), (int)BinaryPrimitives.ReadUInt32LittleEndian(r[4..]));

    /// <inheritdoc/>
    public override string ToString() => $"'{Name}' type_id={Type}";
}

/// <summary>
/// One ENUM (<c>struct btf_enum</c>, 32-bit value) or ENUM64 (<c>struct btf_enum64</c>) value.
/// <see cref="Value"/> is sign- or zero-extended per kind_flag; <see cref="RawValue"/> holds the stored bits.
/// </summary>
public readonly struct BtfEnumValue : IBtfRecord<BtfEnumValue>
{
    private readonly Btf _btf;

    private BtfEnumValue(Btf btf, uint nameOffset, ulong raw, bool signed)
    {
        _btf = btf;
        NameOffset = nameOffset;
        RawValue = raw;
        IsSigned = signed;
    }

    /// <summary>The name's offset in the string section.</summary>
    public uint NameOffset { get; }
    /// <summary>The value's bits, zero-extended (ENUM64: both words).</summary>
    public ulong RawValue { get; }
    /// <summary>Whether the enum is signed (its kind flag).</summary>
    public bool IsSigned { get; }
    /// <summary>The enumerator's name.</summary>
    public string Name => _btf.GetString(NameOffset);

    /// <summary>The value as a 64-bit integer (unsigned ENUM64 values above long.MaxValue wrap; see <see cref="RawValue"/>).</summary>
    public long Value => (long)RawValue;

    /// <summary>Decodes one record from <paramref name="r"/>; <paramref name="kindFlag"/> is the enum's signedness.</summary>
    public static BtfEnumValue Read(Btf btf, ReadOnlySpan<byte> r, bool kindFlag)
    {
        uint name = BinaryPrimitives.ReadUInt32LittleEndian(r);
        uint lo = BinaryPrimitives.ReadUInt32LittleEndian(r[4..]);
        ulong raw = r.Length >= 12
            ? ((ulong)BinaryPrimitives.ReadUInt32LittleEndian(r[8..]) << 32) | lo
            : kindFlag ? (ulong)(long)(int)lo : lo;
        return new BtfEnumValue(btf, name, raw, kindFlag);
    }

    /// <inheritdoc/>
    public override string ToString() => $"'{Name}' val={(IsSigned ? Value.ToString(System.Globalization.CultureInfo.InvariantCulture) : RawValue.ToString(System.Globalization.CultureInfo.InvariantCulture))}";
}

/// <summary><c>struct btf_var_secinfo</c>: a VAR (or FUNC for .ksyms) placed in a DATASEC.</summary>
public readonly record struct BtfVarSecInfo(int Type, uint Offset, uint Size) : IBtfRecord<BtfVarSecInfo>
{
    /// <summary>Decodes one record from <paramref name="r"/>.</summary>
    public static BtfVarSecInfo Read(Btf btf, ReadOnlySpan<byte> r, bool kindFlag)
        => new((int)BinaryPrimitives.ReadUInt32LittleEndian(r), BinaryPrimitives.ReadUInt32LittleEndian(r[4..]),
            BinaryPrimitives.ReadUInt32LittleEndian(r[8..]));
}
