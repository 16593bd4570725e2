
namespace BpfLoader.Btf;

/// <summary>
/// A lightweight view of one type record (<c>struct btf_type</c> plus its trailing data). Nothing is decoded
/// up front: every property reads the underlying bytes, so a view is two references wide and free to create.
/// Kind-specific accessors throw <see cref="InvalidOperationException"/> when used on another kind;
/// <see cref="Size"/> and <see cref="Type"/> return the shared third word as-is, as libbpf's union does.
/// <c>default(BtfType)</c> and id 0 behave as void (kind <see cref="BtfKind.Unknown"/>, all fields 0).
/// </summary>
public readonly struct BtfType : IEquatable<BtfType>
{
    private readonly Btf? _btf;   // the BTF that stores this record (the base for base ids)
    private readonly int _off;    // byte offset of the record in _btf's type section; -1 for void

    internal BtfType(Btf btf, int id, int off)
    {
        _btf = btf;
        Id = id;
        _off = off;
    }

    /// <summary>Type id (0 for void).</summary>
    public int Id { get; }

    /// <summary>The BTF that owns this record (for split BTF, the base for ids below its StartId).</summary>
    public Btf? Owner => _btf;

    /// <summary>Whether this is type id 0 (void) or a default value.</summary>
    public bool IsVoid => _off < 0 || _btf is null;

    private uint Word(int index) => IsVoid ? 0 : _btf!.ReadTypeWord(_off + 4 * index);

    /// <summary>The name's offset in the string section.</summary>
    public uint NameOffset => Word(0);

    /// <summary>Raw <c>info</c> word: vlen (bits 0-15), kind (24-28), kind_flag (31).</summary>
    public uint Info => Word(1);

    /// <summary>The kind, from bits 24-28 of <c>info</c>.</summary>
    public BtfKind Kind => (BtfKind)((Info >> 24) & 0x1f);

    /// <summary>The count of trailing records (members, params, enumerators, variables), bits 0-15 of <c>info</c>.</summary>
    public int Vlen => (int)(Info & 0xffff);

    /// <summary>The kind flag, bit 31 of <c>info</c> (bitfield encoding, union forward, signed enum, attribute tag).</summary>
    public bool KindFlag => (Info >> 31) != 0;

    /// <summary>The name, decoded from the string section on each call ("" when anonymous).</summary>
    public string Name => IsVoid ? string.Empty : _btf!.GetString(NameOffset);

    /// <summary>The name's UTF-8 bytes without allocating.</summary>
    public ReadOnlySpan<byte> NameBytes => IsVoid ? default : _btf!.GetStringBytes(NameOffset);

    /// <summary>Byte size for INT, STRUCT, UNION, ENUM, ENUM64, DATASEC and FLOAT (the raw third word).</summary>
    public uint Size => Word(2);

    /// <summary>Referenced type id for PTR, TYPEDEF, modifiers, FUNC, FUNC_PROTO (return type), VAR, DECL_TAG, TYPE_TAG.</summary>
    public int Type => (int)Word(2);

    /// <summary>Bytes the record occupies in the type section.</summary>
    public int RecordSize => IsVoid ? 0 : BtfKinds.RecordSize(Kind, Vlen);

    /// <summary>The raw record bytes (empty for void).</summary>
    public ReadOnlySpan<byte> RawBytes => IsVoid ? default : _btf!.TypeData.Slice(_off, RecordSize);

    // ---- INT ----

    private uint IntData => Expect(BtfKind.Int, BtfKind.Int).Word(3);

    /// <summary>An INT's encoding bits.</summary>
    public BtfIntEncoding IntEncoding => (BtfIntEncoding)((IntData >> 24) & 0x0f);

    /// <summary>An INT's bit offset (0 in practice).</summary>
    public int IntOffset => (int)((IntData >> 16) & 0xff);

    /// <summary>An INT's width in bits.</summary>
    public int IntBits => (int)(IntData & 0xff);

    // ---- ARRAY ----

    /// <summary>An ARRAY's element type, index type and element count.</summary>
    public BtfArray Array
    {
        get
        {
            Expect(BtfKind.Array, BtfKind.Array);
            return new BtfArray((int)Word(3), (int)Word(4), Word(5));
        }
    }

    // ---- vlen-sized kinds ----

    /// <summary>STRUCT/UNION members; bit offsets and bitfield sizes honour kind_flag.</summary>
    public BtfRecordList<BtfMember> Members => List<BtfMember>(12, BtfKind.Struct, BtfKind.Union);

    /// <summary>FUNC_PROTO parameters (a trailing param with type 0 marks varargs).</summary>
    public BtfRecordList<BtfParam> Params => List<BtfParam>(8, BtfKind.FuncProto, BtfKind.FuncProto);

    /// <summary>ENUM or ENUM64 values; signedness comes from kind_flag.</summary>
    public BtfRecordList<BtfEnumValue> EnumValues
        => Kind == BtfKind.Enum64 ? List<BtfEnumValue>(12, BtfKind.Enum64, BtfKind.Enum64) : List<BtfEnumValue>(8, BtfKind.Enum, BtfKind.Enum);

    /// <summary>DATASEC variable infos.</summary>
    public BtfRecordList<BtfVarSecInfo> DatasecVars => List<BtfVarSecInfo>(12, BtfKind.Datasec, BtfKind.Datasec);

    /// <summary>ENUM/ENUM64 signedness (kind_flag).</summary>
    public bool IsSigned => Expect(BtfKind.Enum, BtfKind.Enum64).KindFlag;

    // ---- single-field kinds ----

    /// <summary>A VAR's linkage.</summary>
    public BtfVarLinkage VarLinkage => (BtfVarLinkage)Expect(BtfKind.Var, BtfKind.Var).Word(3);

    /// <summary>FUNC linkage, stored in vlen.</summary>
    public BtfFuncLinkage FuncLinkage => (BtfFuncLinkage)Expect(BtfKind.Func, BtfKind.Func).Vlen;

    /// <summary>DECL_TAG component_idx: -1 for the type itself, else the member/param index.</summary>
    public int DeclTagComponentIndex => (int)Expect(BtfKind.DeclTag, BtfKind.DeclTag).Word(3);

    /// <summary>FWD of a union (kind_flag) rather than a struct.</summary>
    public bool IsUnionFwd => Expect(BtfKind.Fwd, BtfKind.Fwd).KindFlag;

    /// <summary>Whether the kind is STRUCT or UNION.</summary>
    public bool IsStructOrUnion => Kind is BtfKind.Struct or BtfKind.Union;

    /// <summary>Whether the kind is a modifier (const, volatile, restrict, typedef, type tag).</summary>
    public bool IsModifier => BtfKinds.IsModifier(Kind);

    private BtfRecordList<T> List<T>(int recSize, BtfKind a, BtfKind b) where T : struct, IBtfRecord<T>
    {
        Expect(a, b);
        return new BtfRecordList<T>(_btf!, _off + 12, Vlen, recSize, KindFlag);
    }

    private BtfType Expect(BtfKind a, BtfKind b)
    {
        var k = Kind;
        if (k != a && k != b)
        {
            string want = a == b ? BtfKinds.Name(a) : $"{BtfKinds.Name(a)}/{BtfKinds.Name(b)}";
            throw new InvalidOperationException($"type [{Id}] is {(IsVoid ? "void" : BtfKinds.Name(k))}, not {want}");
        }
        return this;
    }

    /// <summary>The bpftool raw-format text of this type (see <see cref="Btf.DumpRaw(int)"/>).</summary>
    public override string ToString() => IsVoid ? "[0] void" : _btf!.DumpRaw(Id);

    /// <summary>Whether both refer to the same record of the same BTF.</summary>
    public bool Equals(BtfType other) => ReferenceEquals(_btf, other._btf) && Id == other.Id;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is BtfType t && Equals(t);

    /// <inheritdoc/>
    public override int GetHashCode() => Id;

    /// <summary>Whether both refer to the same record of the same BTF.</summary>
    public static bool operator ==(BtfType a, BtfType b) => a.Equals(b);

    /// <summary>Whether the two refer to different records.</summary>
    public static bool operator !=(BtfType a, BtfType b) => !a.Equals(b);
}

/// <summary><c>struct btf_array</c>.</summary>
public readonly record struct BtfArray(int ElemType, int IndexType, uint NElems);
