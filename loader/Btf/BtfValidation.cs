using System.Buffers.Binary;
using BpfLoader.Diagnostics;

namespace BpfLoader.Btf;

// Parsing: header and string checks, then two linear passes over the type section.
// Pass 1 only walks record sizes, so the offsets array can be allocated at its exact size (no growth garbage);
// pass 2 records offsets and checks every name offset and referenced type id, as libbpf's btf_sanity_check does.
public sealed partial class Btf
{
    private static Btf ParseCore(ReadOnlyMemory<byte> data, Btf? baseBtf, string source, object? owner)
    {
        var span = data.Span;
        var hdr = BtfHeader.Read(span, source);
        var types = data.Slice(hdr.HdrLen + hdr.TypeOff, hdr.TypeLen);
        var strings = data.Slice(hdr.HdrLen + hdr.StrOff, hdr.StrLen);
        ValidateStrings(strings.Span, baseBtf, source);
        var btf = new Btf(source, baseBtf, span[..hdr.HdrLen].ToArray(), types, strings, owner);
        btf.IndexTypes();
        return btf;
    }

    private static void ValidateStrings(ReadOnlySpan<byte> s, Btf? baseBtf, string source)
    {
        // A split BTF may have no strings of its own; otherwise the section must end in NUL so that every
        // in-range offset yields a terminated string, and a base section must start with "" at offset 0.
        if (baseBtf is not null && s.Length == 0)
            return;
        if (s.Length == 0)
            throw BtfHeader.Error(source, "string section is empty");
        if (s[^1] != 0)
            throw BtfHeader.Error(source, "string section is not NUL-terminated");
        if (baseBtf is null && s[0] != 0)
            throw BtfHeader.Error(source, "string section does not start with an empty string (split BTF without its base?)");
        if ((long)(baseBtf?.StringsEnd ?? 0) + s.Length > int.MaxValue)
            throw BtfHeader.Error(source, "string section is too large");
    }

    private void IndexTypes()
    {
        var types = TypeData;
        int count = CountRecords(types);
        if ((long)_startId + count - 1 > MaxTypeId)
            throw Error($"too many types ({count} starting at id {_startId}, the limit is {MaxTypeId})");
        var offsets = new int[count];
        int off = 0;
        for (int i = 0; i < count; i++)
        {
            offsets[i] = off;
            off += RecordSize(types, off);
        }
        _offsets = offsets;
        _count = count;

        // All offsets are known before checking, so FUNC -> FUNC_PROTO can be verified even for forward references.
        int lastId = LastId;
        for (int i = 0; i < count; i++)
        {
            var err = ValidateRecord(_startId + i, types.Slice(offsets[i], RecordLength(i)), lastId, checkFuncTarget: true);
            if (err is not null)
                throw Error(err);
        }
    }

    // Walks record headers only: every record must fit, every kind must be known.
    private int CountRecords(ReadOnlySpan<byte> types)
    {
        int off = 0, count = 0;
        while (off < types.Length)
        {
            int id = _startId + count;
            if (types.Length - off < 12)
                throw Error($"type [{id}] header extends past the type section (offset {off}, {types.Length - off} bytes left)");
            uint info = BinaryPrimitives.ReadUInt32LittleEndian(types[(off + 4)..]);
            var kind = (BtfKind)((info >> 24) & 0x1f);
            int size = BtfKinds.RecordSize(kind, (int)(info & 0xffff));
            if (size < 0)
                throw Error($"type [{id}] has unsupported kind {(int)kind}");
            if (size > types.Length - off)
                throw Error($"type [{id}] {BtfKinds.Name(kind)} extends past the type section (vlen {info & 0xffff}, needs {size} bytes at offset {off}, {types.Length - off} left)");
            off += size;
            count++;
            if (count > MaxTypeId)
                throw Error($"too many types (more than {MaxTypeId})");
        }
        return count;
    }

    private static int RecordSize(ReadOnlySpan<byte> types, int off)
    {
        uint info = BinaryPrimitives.ReadUInt32LittleEndian(types[(off + 4)..]);
        return BtfKinds.RecordSize((BtfKind)((info >> 24) & 0x1f), (int)(info & 0xffff));
    }

    /// <summary>
    /// Checks one record (already known to fit) for name offsets inside the string space and referenced
    /// ids inside [0, <paramref name="lastId"/>]. Returns the problem, or null.
    /// </summary>
    private string? ValidateRecord(int id, ReadOnlySpan<byte> rec, int lastId, bool checkFuncTarget)
    {
        uint strEnd = (uint)StringsEnd;
        uint info = BinaryPrimitives.ReadUInt32LittleEndian(rec[4..]);
        var kind = (BtfKind)((info >> 24) & 0x1f);
        int vlen = (int)(info & 0xffff);
        uint nameOff = BinaryPrimitives.ReadUInt32LittleEndian(rec);
        uint third = BinaryPrimitives.ReadUInt32LittleEndian(rec[8..]);
        if (nameOff >= strEnd)
            return $"type [{id}] {BtfKinds.Name(kind)} name offset {nameOff} is outside the string section ({strEnd} bytes)";

        switch (kind)
        {
            case BtfKind.Ptr or BtfKind.Typedef or BtfKind.Volatile or BtfKind.Const or BtfKind.Restrict
                or BtfKind.TypeTag or BtfKind.Var or BtfKind.DeclTag or BtfKind.Func:
                if (third > (uint)lastId)
                    return BadRef(id, kind, third, lastId);
                if (kind == BtfKind.Func && checkFuncTarget)
                    return CheckFuncTarget(id, (int)third);
                return null;
            case BtfKind.Array:
            {
                uint elem = BinaryPrimitives.ReadUInt32LittleEndian(rec[12..]);
                uint index = BinaryPrimitives.ReadUInt32LittleEndian(rec[16..]);
                if (elem > (uint)lastId)
                    return BadRef(id, kind, elem, lastId);
                return index > (uint)lastId ? BadRef(id, kind, index, lastId) : null;
            }
            case BtfKind.Struct or BtfKind.Union:
                for (int i = 0, p = 12; i < vlen; i++, p += 12)
                {
                    uint mName = BinaryPrimitives.ReadUInt32LittleEndian(rec[p..]);
                    uint mType = BinaryPrimitives.ReadUInt32LittleEndian(rec[(p + 4)..]);
                    if (mName >= strEnd)
                        return $"type [{id}] {BtfKinds.Name(kind)} member #{i} name offset {mName} is outside the string section ({strEnd} bytes)";
                    if (mType > (uint)lastId)
                        return $"type [{id}] {BtfKinds.Name(kind)} member #{i} references type [{mType}] beyond the last type [{lastId}]";
                }
                return null;
            case BtfKind.Enum or BtfKind.Enum64:
                for (int i = 0, p = 12, step = kind == BtfKind.Enum ? 8 : 12; i < vlen; i++, p += step)
                {
                    uint vName = BinaryPrimitives.ReadUInt32LittleEndian(rec[p..]);
                    if (vName >= strEnd)
                        return $"type [{id}] {BtfKinds.Name(kind)} value #{i} name offset {vName} is outside the string section ({strEnd} bytes)";
                }
                return null;
            case BtfKind.FuncProto:
                if (third > (uint)lastId)
                    return BadRef(id, kind, third, lastId);
                for (int i = 0, p = 12; i < vlen; i++, p += 8)
                {
                    uint pName = BinaryPrimitives.ReadUInt32LittleEndian(rec[p..]);
                    uint pType = BinaryPrimitives.ReadUInt32LittleEndian(rec[(p + 4)..]);
                    if (pName >= strEnd)
                        return $"type [{id}] FUNC_PROTO param #{i} name offset {pName} is outside the string section ({strEnd} bytes)";
                    if (pType > (uint)lastId)
                        return $"type [{id}] FUNC_PROTO param #{i} references type [{pType}] beyond the last type [{lastId}]";
                }
                return null;
            case BtfKind.Datasec:
                for (int i = 0, p = 12; i < vlen; i++, p += 12)
                {
                    uint vType = BinaryPrimitives.ReadUInt32LittleEndian(rec[p..]);
                    if (vType > (uint)lastId)
                        return $"type [{id}] DATASEC var #{i} references type [{vType}] beyond the last type [{lastId}]";
                }
                return null;
            default:
                return null;   // INT, FWD, FLOAT: nothing referenced
        }
    }

    private string? CheckFuncTarget(int id, int target)
    {
        if (!TryGetType(target, out var t) || t.Kind != BtfKind.FuncProto)
            return $"type [{id}] FUNC references type [{target}] which is {(target == 0 ? "void" : BtfKinds.Name(t.Kind))}, not FUNC_PROTO";
        return null;
    }

    private static string BadRef(int id, BtfKind kind, uint target, int lastId)
        => $"type [{id}] {BtfKinds.Name(kind)} references type [{target}] beyond the last type [{lastId}]";

    private BpfFormatException Error(string what) => BtfHeader.Error(_source, what);
}
