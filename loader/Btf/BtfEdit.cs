using System.Buffers.Binary;

namespace BpfLoader.Btf;

// In-place edits of existing own types. Each edit keeps the record's byte size, so offsets never move;
// every edit re-validates the record it touched and restores it if the result would not re-parse.
public sealed partial class Btf
{
    /// <summary>Writable bytes of own type <paramref name="id"/> (after copy-on-write).</summary>
    private Span<byte> WritableRecord(int id)
    {
        if (id < _startId || id > LastId)
            throw new ArgumentOutOfRangeException(nameof(id), id, id > 0 && id < _startId
                ? $"BTF '{_source}': type [{id}] belongs to the base BTF and cannot be modified here"
                : $"BTF '{_source}': type id {id} is out of range [{_startId}, {LastId}]");
        EnsureWritable();
        int i = id - _startId;
        return _typeBuf.AsSpan(_offsets[i], RecordLength(i));
    }

    /// <summary>Applies <paramref name="edit"/> to the record of <paramref name="id"/>, rolling back if it becomes invalid.</summary>
    private void EditRecord(int id, RecordEdit edit)
    {
        var rec = WritableRecord(id);
        Span<byte> saved = rec.Length <= 256 ? stackalloc byte[rec.Length] : new byte[rec.Length];
        rec.CopyTo(saved);
        edit(rec);
        var err = ValidateRecord(id, rec, MaxTypeId, checkFuncTarget: false);
        if (err is not null)
        {
            saved.CopyTo(rec);
            throw new ArgumentException($"BTF '{_source}': {err}");
        }
        InvalidateNameIndex();
    }

    private delegate void RecordEdit(Span<byte> record);

    private static void Put(Span<byte> rec, int wordIndex, uint value)
        => BinaryPrimitives.WriteUInt32LittleEndian(rec[(4 * wordIndex)..], value);

    private static uint Get(ReadOnlySpan<byte> rec, int wordIndex)
        => BinaryPrimitives.ReadUInt32LittleEndian(rec[(4 * wordIndex)..]);

    private BtfType ExpectKind(int id, params BtfKind[] kinds)
    {
        var t = GetType(id);
        if (Array.IndexOf(kinds, t.Kind) < 0)
            throw new ArgumentException($"BTF '{_source}': type [{id}] is {BtfKinds.Name(t.Kind)}, expected {string.Join('/', kinds.Select(BtfKinds.Name))}");
        return t;
    }

    /// <summary>Sets the name (adding the string if needed); null or "" makes the type anonymous.</summary>
    internal void SetName(int id, string? name)
    {
        int off = AddName(name);
        EditRecord(id, r => Put(r, 0, (uint)off));
    }

    /// <summary>Sets the raw name offset (must lie inside the string space).</summary>
    internal void SetNameOffset(int id, uint nameOffset) => EditRecord(id, r => Put(r, 0, nameOffset));

    /// <summary>Sets the size word (INT, STRUCT, UNION, ENUM, ENUM64, DATASEC, FLOAT).</summary>
    internal void SetSize(int id, uint size)
    {
        if (!BtfKinds.HasSize(GetType(id).Kind))
            throw new ArgumentException($"BTF '{_source}': type [{id}] {BtfKinds.Name(GetType(id).Kind)} has no size");
        EditRecord(id, r => Put(r, 2, size));
    }

    /// <summary>Sets the referenced type (PTR, TYPEDEF, modifiers, FUNC, FUNC_PROTO return, VAR, DECL_TAG, TYPE_TAG).</summary>
    internal void SetType(int id, int typeId)
    {
        if (!BtfKinds.HasTypeRef(GetType(id).Kind))
            throw new ArgumentException($"BTF '{_source}': type [{id}] {BtfKinds.Name(GetType(id).Kind)} references no type");
        EditRecord(id, r => Put(r, 2, (uint)typeId));
    }

    /// <summary>
    /// Rewrites kind, vlen and kind_flag. The new layout must occupy exactly the same bytes as the old one
    /// (the trick libbpf's sanitizer relies on, e.g. FUNC_PROTO params reinterpreted as ENUM values).
    /// </summary>
    internal void SetKind(int id, BtfKind kind, int vlen, bool kindFlag = false)
    {
        var t = GetType(id);
        int newSize = BtfKinds.RecordSize(kind, vlen);
        if (newSize < 0 || (uint)vlen > 0xffff || newSize != t.RecordSize)
            throw new ArgumentException($"BTF '{_source}': cannot turn type [{id}] {BtfKinds.Name(t.Kind)} ({t.RecordSize} bytes) into {BtfKinds.Name(kind)} with vlen {vlen} ({newSize} bytes)");
        EditRecord(id, r => Put(r, 1, Info(kind, vlen, kindFlag)));
    }

    /// <summary>Sets INT encoding, bit offset and bit count.</summary>
    internal void SetIntEncoding(int id, BtfIntEncoding encoding, int bitOffset, int bits)
    {
        ExpectKind(id, BtfKind.Int);
        EditRecord(id, r => Put(r, 3, ((uint)encoding << 24) | ((uint)(bitOffset & 0xff) << 16) | (uint)(bits & 0xff)));
    }

    /// <summary>Rewrites member <paramref name="index"/> of a STRUCT/UNION (raw offset word: packed if kind_flag).</summary>
    internal void SetMember(int id, int index, uint nameOffset, int type, uint rawOffset)
    {
        CheckIndex(ExpectKind(id, BtfKind.Struct, BtfKind.Union), index);
        EditRecord(id, r =>
        {
            Put(r, 3 + 3 * index, nameOffset);
            Put(r, 4 + 3 * index, (uint)type);
            Put(r, 5 + 3 * index, rawOffset);
        });
    }

    /// <summary>Changes the type of FUNC_PROTO parameter <paramref name="index"/>.</summary>
    internal void SetParamType(int id, int index, int type)
    {
        CheckIndex(ExpectKind(id, BtfKind.FuncProto), index);
        EditRecord(id, r => Put(r, 4 + 2 * index, (uint)type));
    }

    /// <summary>Renames FUNC_PROTO parameter <paramref name="index"/>.</summary>
    internal void SetParamName(int id, int index, string? name)
    {
        CheckIndex(ExpectKind(id, BtfKind.FuncProto), index);
        int off = AddName(name);
        EditRecord(id, r => Put(r, 3 + 2 * index, (uint)off));
    }

    /// <summary>Rewrites DATASEC var info <paramref name="index"/> (libbpf fills offsets/sizes of global data this way).</summary>
    internal void SetDatasecVar(int id, int index, BtfVarSecInfo info)
    {
        CheckIndex(ExpectKind(id, BtfKind.Datasec), index);
        EditRecord(id, r =>
        {
            Put(r, 3 + 3 * index, (uint)info.Type);
            Put(r, 4 + 3 * index, info.Offset);
            Put(r, 5 + 3 * index, info.Size);
        });
    }

    /// <summary>Sorts a DATASEC's var infos by offset, as the kernel requires.</summary>
    internal void SortDatasecVars(int id)
    {
        var t = ExpectKind(id, BtfKind.Datasec);
        var vars = t.DatasecVars.ToArray();
        Array.Sort(vars, (a, b) => a.Offset.CompareTo(b.Offset));
        EditRecord(id, r =>
        {
            for (int i = 0; i < vars.Length; i++)
            {
                Put(r, 3 + 3 * i, (uint)vars[i].Type);
                Put(r, 4 + 3 * i, vars[i].Offset);
                Put(r, 5 + 3 * i, vars[i].Size);
            }
        });
    }

    /// <summary>Changes the linkage of the VAR with type id <paramref name="id"/> in place.</summary>
    internal void SetVarLinkage(int id, BtfVarLinkage linkage)
    {
        ExpectKind(id, BtfKind.Var);
        EditRecord(id, r => Put(r, 3, (uint)linkage));
    }

    /// <summary>FUNC linkage lives in vlen.</summary>
    internal void SetFuncLinkage(int id, BtfFuncLinkage linkage)
    {
        var t = ExpectKind(id, BtfKind.Func);
        bool kflag = t.KindFlag;
        EditRecord(id, r => Put(r, 1, Info(BtfKind.Func, (int)linkage, kflag)));
    }

    /// <summary>
    /// Replaces characters of a type's name in the string section itself (libbpf rewrites DATASEC names this
    /// way, e.g. '?' or '.' to '_'); every other user of the same string sees the change too. ASCII only.
    /// </summary>
    internal void ReplaceNameChars(int id, string chars, char replacement, bool firstCharOnly = false)
    {
        if (replacement > 0x7f || replacement == 0)
            throw new ArgumentException("replacement must be a non-NUL ASCII character", nameof(replacement));
        uint nameOff = GetType(id).NameOffset;
        if (nameOff == 0)
            return;
        if (nameOff < (uint)_baseStrLen)
            throw new InvalidOperationException($"BTF '{_source}': the name of type [{id}] lives in the base BTF and cannot be edited");
        WritableRecord(id);   // range check + copy-on-write
        var s = _strBuf.AsSpan((int)(nameOff - _baseStrLen));
        for (int i = 0; i < s.Length && s[i] != 0; i++)
        {
            if (s[i] < 0x80 && chars.Contains((char)s[i]))
                s[i] = (byte)replacement;
            if (firstCharOnly)
                break;
        }
        _stringIndex = null;   // the dedup index keyed the old text
        InvalidateNameIndex();
    }

    private void CheckIndex(BtfType t, int index)
    {
        if ((uint)index >= (uint)t.Vlen)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"BTF '{_source}': type [{t.Id}] has {t.Vlen} entries");
    }
}
