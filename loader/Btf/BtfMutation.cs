using System.Buffers.Binary;
using System.Text;

namespace BpfLoader.Btf;

/// <summary>A STRUCT/UNION member to add: bit offset, and a non-zero bitfield size for bitfields.</summary>
internal readonly record struct BtfMemberSpec(string? Name, int Type, uint BitOffset, uint BitfieldSize = 0);

/// <summary>A FUNC_PROTO parameter to add (type 0 as the last parameter means varargs).</summary>
internal readonly record struct BtfParamSpec(string? Name, int Type);

/// <summary>An ENUM/ENUM64 value to add.</summary>
internal readonly record struct BtfEnumSpec(string Name, long Value);

// Copy-on-write and appending strings and types (libbpf's btf__add_*).
public sealed partial class Btf
{
    private Dictionary<string, int>? _stringIndex;   // own strings -> own-relative offset

    /// <summary>
    /// Switches to managed, growable buffers holding a copy of this BTF's own sections (once). Everything
    /// that mutates calls this first; the raw input and the base stay untouched.
    /// </summary>
    internal void EnsureWritable()
    {
        if (_readOnly)
            throw new InvalidOperationException($"BTF '{_source}' is shared and read-only; Clone() it before modifying");
        if (_typeBuf is not null)
            return;
        var types = new byte[Math.Max(_typeLen + _typeLen / 8, 256)];
        _rawTypes.Span.CopyTo(types);
        var strings = new byte[Math.Max(_strLen + _strLen / 8, 256)];
        _rawStrings.Span.CopyTo(strings);
        _typeBuf = types;
        _strBuf = strings;
        _rawTypes = default;
        _rawStrings = default;
        // _owner stays: spans handed out before the copy (e.g. GetStringBytes) may still point into the mapping.
    }

    private void EnsureAppendable()
    {
        EnsureWritable();
        if (_isBase)
            throw new InvalidOperationException($"BTF '{_source}' is the base of a split BTF; adding types or strings would shift the split BTF's ids and offsets");
    }

    /// <summary>
    /// Adds <paramref name="s"/> to the string section unless an identical string exists (in the base or
    /// here) and returns its combined offset. The empty string is offset 0.
    /// </summary>
    internal int AddString(string s)
    {
        ArgumentNullException.ThrowIfNull(s);
        if (s.Length == 0)
            return 0;
        if (s.Contains('\0'))
            throw new ArgumentException("BTF strings cannot contain NUL", nameof(s));
        for (var b = _base; b is not null; b = b._base)
        {
            if (b.StringIndex.TryGetValue(s, out int baseOff))
                return b._baseStrLen + baseOff;
        }
        if (StringIndex.TryGetValue(s, out int off))
            return _baseStrLen + off;

        EnsureAppendable();
        int len = Encoding.UTF8.GetByteCount(s);
        Grow(ref _strBuf!, _strLen, len + 1);
        off = _strLen;
        Encoding.UTF8.GetBytes(s, _strBuf.AsSpan(off));
        _strBuf[off + len] = 0;
        _strLen += len + 1;
        _stringIndex!.Add(s, off);
        return _baseStrLen + off;
    }

    /// <summary>Offset of an existing string equal to <paramref name="s"/> (base first), or -1.</summary>
    internal int FindString(string s)
    {
        if (s.Length == 0)
            return 0;
        for (var b = _base; b is not null; b = b._base)
        {
            if (b.StringIndex.TryGetValue(s, out int baseOff))
                return b._baseStrLen + baseOff;
        }
        return StringIndex.TryGetValue(s, out int off) ? _baseStrLen + off : -1;
    }

    // Every string that starts at offset 0 or right after a NUL; the first occurrence wins.
    private Dictionary<string, int> StringIndex
    {
        get
        {
            var idx = Volatile.Read(ref _stringIndex);
            if (idx is not null)
                return idx;
            idx = new Dictionary<string, int>(StringComparer.Ordinal);
            var s = StringData;
            for (int off = 0; off < s.Length;)
            {
                int nul = s[off..].IndexOf((byte)0);
                if (nul < 0)
                    break;
                if (nul > 0)
                    idx.TryAdd(Encoding.UTF8.GetString(s.Slice(off, nul)), off);
                off += nul + 1;
            }
            Interlocked.CompareExchange(ref _stringIndex, idx, null);
            return Volatile.Read(ref _stringIndex)!;
        }
    }

    private int AddName(string? name) => string.IsNullOrEmpty(name) ? 0 : AddString(name);

    private static void Grow(ref byte[] buf, int used, int extra)
    {
        if ((long)used + extra <= buf.Length)
            return;
        long want = Math.Max((long)used + extra, (long)buf.Length * 2);
        Array.Resize(ref buf, (int)Math.Min(want, Array.MaxLength));
    }

    /// <summary>Appends one complete record after validating it; returns the new type id.</summary>
    private int AppendRecord(ReadOnlySpan<byte> rec)
    {
        EnsureAppendable();
        int id = LastId + 1;
        if (id > MaxTypeId)
            throw new InvalidOperationException($"BTF '{_source}': cannot add more than {MaxTypeId} types");
        var err = ValidateRecord(id, rec, MaxTypeId, checkFuncTarget: false);
        if (err is not null)
            throw new ArgumentException($"BTF '{_source}': {err}");
        Grow(ref _typeBuf!, _typeLen, rec.Length);
        rec.CopyTo(_typeBuf.AsSpan(_typeLen));
        if (_count == _offsets.Length)
            Array.Resize(ref _offsets, Math.Max(16, _offsets.Length * 2));
        _offsets[_count++] = _typeLen;
        _typeLen += rec.Length;
        InvalidateNameIndex();
        return id;
    }

    private static uint Info(BtfKind kind, int vlen, bool kindFlag)
        => ((uint)kind << 24) | (uint)(vlen & 0xffff) | (kindFlag ? 1u << 31 : 0);

    private int AddSimple(BtfKind kind, int nameOff, uint third, int vlen = 0, bool kindFlag = false, uint? extra = null)
    {
        Span<byte> rec = stackalloc byte[16];
        BinaryPrimitives.WriteUInt32LittleEndian(rec, (uint)nameOff);
        BinaryPrimitives.WriteUInt32LittleEndian(rec[4..], Info(kind, vlen, kindFlag));
        BinaryPrimitives.WriteUInt32LittleEndian(rec[8..], third);
        if (extra is { } x)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(rec[12..], x);
            return AppendRecord(rec);
        }
        return AppendRecord(rec[..12]);
    }

    private void CheckRef(int typeId, string what)
    {
        // Forward references are allowed while building (as in libbpf); ToBytes() rejects ids that never appeared.
        if (typeId < 0 || typeId > MaxTypeId)
            throw new ArgumentOutOfRangeException(what, typeId, $"BTF '{_source}': type id {typeId} is out of range");
    }

    private static void CheckVlen(int n)
    {
        if (n > 0xffff)
            throw new ArgumentException($"a BTF type can have at most 65535 members/params/values, got {n}");
    }

    /// <summary>INT of <paramref name="byteSize"/> bytes (1, 2, 4, 8 or 16) and <paramref name="bits"/> bits (default 8*size).</summary>
    internal int AddInt(string name, uint byteSize, BtfIntEncoding encoding = BtfIntEncoding.None, int? bits = null, int bitOffset = 0)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (byteSize is not (1 or 2 or 4 or 8 or 16))
            throw new ArgumentOutOfRangeException(nameof(byteSize), byteSize, "INT size must be 1, 2, 4, 8 or 16");
        int nbits = bits ?? (int)byteSize * 8;
        if (nbits is <= 0 or > 128 || bitOffset is < 0 or > 255)
            throw new ArgumentOutOfRangeException(nameof(bits), "INT bits must be in 1..128 and offset in 0..255");
        uint data = ((uint)encoding << 24) | ((uint)bitOffset << 16) | (uint)nbits;
        return AddSimple(BtfKind.Int, AddString(name), byteSize, extra: data);
    }

    internal int AddFloat(string name, uint byteSize)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return AddSimple(BtfKind.Float, AddString(name), byteSize);
    }

    internal int AddPtr(int refType)
    {
        CheckRef(refType, nameof(refType));
        return AddSimple(BtfKind.Ptr, 0, (uint)refType);
    }

    internal int AddConst(int refType)
    {
        CheckRef(refType, nameof(refType));
        return AddSimple(BtfKind.Const, 0, (uint)refType);
    }

    internal int AddVolatile(int refType)
    {
        CheckRef(refType, nameof(refType));
        return AddSimple(BtfKind.Volatile, 0, (uint)refType);
    }

    internal int AddRestrict(int refType)
    {
        CheckRef(refType, nameof(refType));
        return AddSimple(BtfKind.Restrict, 0, (uint)refType);
    }

    internal int AddTypedef(string name, int refType)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        CheckRef(refType, nameof(refType));
        return AddSimple(BtfKind.Typedef, AddString(name), (uint)refType);
    }

    /// <summary>TYPE_TAG <paramref name="value"/> on <paramref name="refType"/>; kind_flag marks a full attribute.</summary>
    internal int AddTypeTag(string value, int refType, bool isAttribute = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        CheckRef(refType, nameof(refType));
        return AddSimple(BtfKind.TypeTag, AddString(value), (uint)refType, kindFlag: isAttribute);
    }

    /// <summary>DECL_TAG on <paramref name="refType"/> or, for <paramref name="componentIdx"/> ≥ 0, on a member/param of it.</summary>
    internal int AddDeclTag(string value, int refType, int componentIdx = -1, bool isAttribute = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        CheckRef(refType, nameof(refType));
        if (componentIdx < -1)
            throw new ArgumentOutOfRangeException(nameof(componentIdx), componentIdx, "component_idx must be -1 or a member/param index");
        return AddSimple(BtfKind.DeclTag, AddString(value), (uint)refType, kindFlag: isAttribute, extra: (uint)componentIdx);
    }

    /// <summary>FWD declaration of a struct (or a union with <paramref name="isUnion"/>).</summary>
    internal int AddFwd(string name, bool isUnion = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return AddSimple(BtfKind.Fwd, AddString(name), 0, kindFlag: isUnion);
    }

    internal int AddFunc(string name, int protoType, BtfFuncLinkage linkage = BtfFuncLinkage.Static)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        CheckRef(protoType, nameof(protoType));
        if (protoType <= LastId && GetType(protoType).Kind != BtfKind.FuncProto)
            throw new ArgumentException($"BTF '{_source}': FUNC '{name}' must reference a FUNC_PROTO, [{protoType}] is not one", nameof(protoType));
        return AddSimple(BtfKind.Func, AddString(name), (uint)protoType, vlen: (int)linkage);
    }

    internal int AddVar(string name, int type, BtfVarLinkage linkage = BtfVarLinkage.GlobalAllocated)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        CheckRef(type, nameof(type));
        return AddSimple(BtfKind.Var, AddString(name), (uint)type, extra: (uint)linkage);
    }

    internal int AddArray(int elemType, int indexType, uint nelems)
    {
        CheckRef(elemType, nameof(elemType));
        CheckRef(indexType, nameof(indexType));
        Span<byte> rec = stackalloc byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(rec[4..], Info(BtfKind.Array, 0, false));
        BinaryPrimitives.WriteUInt32LittleEndian(rec[12..], (uint)elemType);
        BinaryPrimitives.WriteUInt32LittleEndian(rec[16..], (uint)indexType);
        BinaryPrimitives.WriteUInt32LittleEndian(rec[20..], nelems);
        return AppendRecord(rec);
    }

    internal int AddStruct(string? name, uint size, ReadOnlySpan<BtfMemberSpec> members)
        => AddComposite(BtfKind.Struct, name, size, members);

    internal int AddUnion(string? name, uint size, ReadOnlySpan<BtfMemberSpec> members)
        => AddComposite(BtfKind.Union, name, size, members);

    private int AddComposite(BtfKind kind, string? name, uint size, ReadOnlySpan<BtfMemberSpec> members)
    {
        CheckVlen(members.Length);
        // kind_flag is needed only if some member is a bitfield; then every offset word is packed.
        bool kflag = false;
        foreach (var m in members)
        {
            CheckRef(m.Type, nameof(members));
            if (m.BitfieldSize > 255)
                throw new ArgumentOutOfRangeException(nameof(members), m.BitfieldSize, "bitfield size must be at most 255");
            kflag |= m.BitfieldSize != 0;
        }
        var rec = new byte[12 + 12 * members.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(rec, (uint)AddName(name));
        BinaryPrimitives.WriteUInt32LittleEndian(rec.AsSpan(4), Info(kind, members.Length, kflag));
        BinaryPrimitives.WriteUInt32LittleEndian(rec.AsSpan(8), size);
        for (int i = 0; i < members.Length; i++)
        {
            var m = members[i];
            if (kflag && m.BitOffset > 0xffffff)
                throw new ArgumentOutOfRangeException(nameof(members), m.BitOffset, "with bitfields, member bit offsets must fit in 24 bits");
            var r = rec.AsSpan(12 + 12 * i);
            BinaryPrimitives.WriteUInt32LittleEndian(r, (uint)AddName(m.Name));
            BinaryPrimitives.WriteUInt32LittleEndian(r[4..], (uint)m.Type);
            BinaryPrimitives.WriteUInt32LittleEndian(r[8..], kflag ? (m.BitfieldSize << 24) | m.BitOffset : m.BitOffset);
        }
        return AppendRecord(rec);
    }

    /// <summary>ENUM (32-bit values) of <paramref name="size"/> bytes; <paramref name="signed"/> sets kind_flag.</summary>
    internal int AddEnum(string? name, uint size, bool signed, ReadOnlySpan<BtfEnumSpec> values)
    {
        CheckVlen(values.Length);
        var rec = new byte[12 + 8 * values.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(rec, (uint)AddName(name));
        BinaryPrimitives.WriteUInt32LittleEndian(rec.AsSpan(4), Info(BtfKind.Enum, values.Length, signed));
        BinaryPrimitives.WriteUInt32LittleEndian(rec.AsSpan(8), size);
        for (int i = 0; i < values.Length; i++)
        {
            if (values[i].Value is < int.MinValue or > uint.MaxValue)
                throw new ArgumentOutOfRangeException(nameof(values), values[i].Value, "ENUM values must fit in 32 bits; use AddEnum64");
            BinaryPrimitives.WriteUInt32LittleEndian(rec.AsSpan(12 + 8 * i), (uint)AddString(values[i].Name));
            BinaryPrimitives.WriteUInt32LittleEndian(rec.AsSpan(16 + 8 * i), (uint)values[i].Value);
        }
        return AppendRecord(rec);
    }

    /// <summary>ENUM64 of <paramref name="size"/> bytes; values are stored as their 64-bit pattern.</summary>
    internal int AddEnum64(string? name, uint size, bool signed, ReadOnlySpan<BtfEnumSpec> values)
    {
        CheckVlen(values.Length);
        var rec = new byte[12 + 12 * values.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(rec, (uint)AddName(name));
        BinaryPrimitives.WriteUInt32LittleEndian(rec.AsSpan(4), Info(BtfKind.Enum64, values.Length, signed));
        BinaryPrimitives.WriteUInt32LittleEndian(rec.AsSpan(8), size);
        for (int i = 0; i < values.Length; i++)
        {
            var r = rec.AsSpan(12 + 12 * i);
            BinaryPrimitives.WriteUInt32LittleEndian(r, (uint)AddString(values[i].Name));
            BinaryPrimitives.WriteUInt32LittleEndian(r[4..], (uint)values[i].Value);
            BinaryPrimitives.WriteUInt32LittleEndian(r[8..], (uint)((ulong)values[i].Value >> 32));
        }
        return AppendRecord(rec);
    }

    internal int AddFuncProto(int returnType, ReadOnlySpan<BtfParamSpec> parameters)
    {
        CheckRef(returnType, nameof(returnType));
        CheckVlen(parameters.Length);
        var rec = new byte[12 + 8 * parameters.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(rec.AsSpan(4), Info(BtfKind.FuncProto, parameters.Length, false));
        BinaryPrimitives.WriteUInt32LittleEndian(rec.AsSpan(8), (uint)returnType);
        for (int i = 0; i < parameters.Length; i++)
        {
            CheckRef(parameters[i].Type, nameof(parameters));
            BinaryPrimitives.WriteUInt32LittleEndian(rec.AsSpan(12 + 8 * i), (uint)AddName(parameters[i].Name));
            BinaryPrimitives.WriteUInt32LittleEndian(rec.AsSpan(16 + 8 * i), (uint)parameters[i].Type);
        }
        return AppendRecord(rec);
    }

    internal int AddDatasec(string name, uint size, ReadOnlySpan<BtfVarSecInfo> vars)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        CheckVlen(vars.Length);
        var rec = new byte[12 + 12 * vars.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(rec, (uint)AddString(name));
        BinaryPrimitives.WriteUInt32LittleEndian(rec.AsSpan(4), Info(BtfKind.Datasec, vars.Length, false));
        BinaryPrimitives.WriteUInt32LittleEndian(rec.AsSpan(8), size);
        for (int i = 0; i < vars.Length; i++)
        {
            CheckRef(vars[i].Type, nameof(vars));
            var r = rec.AsSpan(12 + 12 * i);
            BinaryPrimitives.WriteUInt32LittleEndian(r, (uint)vars[i].Type);
            BinaryPrimitives.WriteUInt32LittleEndian(r[4..], vars[i].Offset);
            BinaryPrimitives.WriteUInt32LittleEndian(r[8..], vars[i].Size);
        }
        return AppendRecord(rec);
    }
}
