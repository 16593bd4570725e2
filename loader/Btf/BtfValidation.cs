using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using BpfLoader.Diagnostics;

namespace BpfLoader.Btf;

// Parsing: header and string checks, then one linear pass over the type section that records offsets and
// checks every record's extent, name offsets and referenced type ids, as libbpf's btf_sanity_check does
// (including FUNC -> FUNC_PROTO). ValidateRecord is the readable per-record form of the same rules, used for
// error messages and to re-check records after in-place edits.
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
        btf.MarkDependedOn();
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

    // Record layout per kind (index = kind 0..31): fixed bytes (0 = no such kind) and bytes per vlen entry.
    private static ReadOnlySpan<byte> FixedSize => [0, 16, 12, 24, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 16, 12, 12, 16, 12, 12,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

    private static ReadOnlySpan<byte> EntrySize => [0, 0, 0, 0, 12, 12, 8, 0, 0, 0, 0, 0, 0, 8, 0, 12, 0, 0, 0, 12,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

    // One pass over the records, reading through a raw pointer once a record is known to fit. Walking the
    // records is a chain of dependent loads (each size comes from the previous record), so the checks of a
    // record are done in the same pass where they overlap with that latency. Offsets go to a native scratch
    // buffer sized for the worst case (12-byte records), then into an exact int[]: the only big allocation.
    // Referenced ids are checked through their maximum, because the last id is only known at the end; any
    // failure is re-diagnosed by the readable ValidateRecord, which owns the error messages.
    private unsafe void IndexTypes()
    {
        var types = TypeData;
        int len = types.Length;
        int capacity = len / 12 + 1;
        int* scratch = (int*)NativeMemory.Alloc((nuint)capacity, sizeof(int));
        // One bit per own id: "is a FUNC_PROTO". FUNC targets are scattered across the section; probing
        // this small bitmap instead of the target records avoids a cache miss per FUNC.
        int protoWords = capacity / 64 + 1;
        ulong* isProto = (ulong*)NativeMemory.AllocZeroed((nuint)protoWords, sizeof(ulong));
        try
        {
            fixed (byte* p = types)
            {
                uint strEnd = (uint)StringsEnd;
                uint maxRef = 0;
                bool namesOk = true;
                List<int>? funcs = null;   // FUNCs whose FUNC_PROTO check needs a later id
                int count = 0;
                for (int off = 0; off < len; count++)
                {
                    int id = _startId + count;
                    if (len - off < 12)
                        throw Error($"type [{id}] header extends past the type section (offset {off}, {len - off} bytes left)");
                    byte* r = p + off;
                    uint info = Unsafe.ReadUnaligned<uint>(r + 4);
                    uint kind = (info >> 24) & 0x1f;
                    int vlen = (int)(info & 0xffff);
                    int fixedSize = FixedSize[(int)kind];
                    int size = fixedSize + EntrySize[(int)kind] * vlen;
                    if (fixedSize == 0)
                        throw Error($"type [{id}] has unsupported kind {kind}");
                    if (size > len - off)
                        throw Error($"type [{id}] {BtfKinds.Name((BtfKind)kind)} extends past the type section (vlen {vlen}, needs {size} bytes at offset {off}, {len - off} left)");
                    if (id > MaxTypeId)
                        throw Error($"too many types (type [{id}] exceeds the limit of {MaxTypeId})");
                    scratch[count] = off;
                    off += size;

                    namesOk &= Unsafe.ReadUnaligned<uint>(r) < strEnd;
                    uint third = Unsafe.ReadUnaligned<uint>(r + 8);
                    switch ((BtfKind)kind)
                    {
                        case BtfKind.Ptr or BtfKind.Typedef or BtfKind.Volatile or BtfKind.Const or BtfKind.Restrict
                            or BtfKind.TypeTag or BtfKind.Var or BtfKind.DeclTag:
                            maxRef = Math.Max(maxRef, third);
                            break;
                        case BtfKind.Func:
                            maxRef = Math.Max(maxRef, third);
                            uint rel = third - (uint)_startId;   // wraps for void and base ids
                            if (rel >= (uint)count || (isProto[rel >> 6] & (1UL << (int)(rel & 63))) == 0)
                                (funcs ??= []).Add(id);   // forward, wrong kind, void or in the base: checked below
                            break;
                        case BtfKind.Array:
                            maxRef = Math.Max(maxRef, Math.Max(Unsafe.ReadUnaligned<uint>(r + 12), Unsafe.ReadUnaligned<uint>(r + 16)));
                            break;
                        case BtfKind.Struct or BtfKind.Union:
                            for (byte* m = r + 12, end = m + 12 * vlen; m < end; m += 12)
                            {
                                namesOk &= Unsafe.ReadUnaligned<uint>(m) < strEnd;
                                maxRef = Math.Max(maxRef, Unsafe.ReadUnaligned<uint>(m + 4));
                            }
                            break;
                        case BtfKind.Enum:
                            for (byte* m = r + 12, end = m + 8 * vlen; m < end; m += 8)
                                namesOk &= Unsafe.ReadUnaligned<uint>(m) < strEnd;
                            break;
                        case BtfKind.Enum64:
                            for (byte* m = r + 12, end = m + 12 * vlen; m < end; m += 12)
                                namesOk &= Unsafe.ReadUnaligned<uint>(m) < strEnd;
                            break;
                        case BtfKind.FuncProto:
                            isProto[count >> 6] |= 1UL << (count & 63);
                            maxRef = Math.Max(maxRef, third);
                            for (byte* m = r + 12, end = m + 8 * vlen; m < end; m += 8)
                            {
                                namesOk &= Unsafe.ReadUnaligned<uint>(m) < strEnd;
                                maxRef = Math.Max(maxRef, Unsafe.ReadUnaligned<uint>(m + 4));
                            }
                            break;
                        case BtfKind.Datasec:
                            for (byte* m = r + 12, end = m + 12 * vlen; m < end; m += 12)
                                maxRef = Math.Max(maxRef, Unsafe.ReadUnaligned<uint>(m));
                            break;
                    }
                }

                var offsets = new int[count];
                new ReadOnlySpan<int>(scratch, count).CopyTo(offsets);
                _offsets = offsets;
                _count = count;
                if (!namesOk || maxRef > (uint)LastId)
                    throw Error(FindInvalidRecord());
                if (funcs is not null)
                {
                    foreach (int id in funcs)
                    {
                        var err = CheckFuncTarget(id, GetType(id).Type);
                        if (err is not null)
                            throw Error(err);
                    }
                }
            }
        }
        finally
        {
            NativeMemory.Free(scratch);
            NativeMemory.Free(isProto);
        }
    }

    // Slow path for the error message: the first record the fast pass would have rejected.
    private string FindInvalidRecord()
    {
        var types = TypeData;
        for (int i = 0; i < _count; i++)
        {
            var err = ValidateRecord(_startId + i, types.Slice(_offsets[i], RecordLength(i)), LastId, checkFuncTarget: false);
            if (err is not null)
                return err;
        }
        return "invalid type section";
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
