using BpfLoader.Btf;
using BpfLoader.Btf.Dedup;
using BpfLoader.Diagnostics;

namespace BpfLoader.Linker;

/// <summary>
/// A global in <c>.maps</c> seen again (an extern map meeting its definition, or two weak definitions): both
/// BTF map definitions are parsed strictly and must agree field by field, in libbpf's order and wording
/// (including its "key type" reason for differing value types).
/// </summary>
internal static class MapDefinitionMatcher
{
    private sealed record MapDef(uint Type, uint KeySize, int KeyTypeId, uint ValueSize, int ValueTypeId,
        uint MaxEntries, uint Flags, uint NumaNode, uint Pinning, MapDef? Inner);

    /// <summary>Null when the definitions match, else the libbpf message (already logged).</summary>
    public static string? Compare(string symbol, BtfTypeTable outBtf, int outVarId, BtfTypeTable inBtf, int inVarId)
    {
        if (inBtf.Kind(inVarId) != BtfKind.Var)
            return Fail($"global '{symbol}': invalid map definition type [{inVarId}]");
        var src = Parse(symbol, inBtf, GlobalTypeMatcher.SkipModsAndTypedefs(inBtf, (int)inBtf.SizeOrType(inVarId)));
        if (src is null)
            return Fail($"global '{symbol}': invalid map definition");
        var dst = Parse(symbol, outBtf, GlobalTypeMatcher.SkipModsAndTypedefs(outBtf, (int)outBtf.SizeOrType(outVarId)));
        if (dst is null)
            return Fail($"global '{symbol}': invalid dst map definition");
        return Match(symbol, outBtf, dst, inBtf, src);
    }

    private static string? Match(string symbol, BtfTypeTable mainBtf, MapDef main, BtfTypeTable extraBtf, MapDef extra)
    {
        string? reason =
            main.Type != extra.Type ? "type"
            : main.KeySize != extra.KeySize ? "key_size"
            : (main.KeyTypeId != 0) != (extra.KeyTypeId != 0) ? "key type"
            : main.KeyTypeId != 0 && GlobalTypeMatcher.Compare(symbol, true, mainBtf, main.KeyTypeId, extraBtf, extra.KeyTypeId) is not null ? "key type"
            : main.ValueSize != extra.ValueSize ? "value_size"
            : (main.ValueTypeId != 0) != (extra.ValueTypeId != 0) ? "value type"
            : main.ValueTypeId != 0 && GlobalTypeMatcher.Compare(symbol, true, mainBtf, main.ValueTypeId, extraBtf, extra.ValueTypeId) is not null ? "key type"
            : main.MaxEntries != extra.MaxEntries ? "max_entries"
            : main.Flags != extra.Flags ? "map_flags"
            : main.NumaNode != extra.NumaNode ? "numa_node"
            : main.Pinning != extra.Pinning ? "pinning"
            : (main.Inner is null) != (extra.Inner is null) ? "inner map"
            : null;
        if (reason is not null)
            return Fail($"global '{symbol}': map {reason} mismatch");
        return main.Inner is null ? null : Match($"{symbol}.inner", mainBtf, main.Inner, extraBtf, extra.Inner!);
    }

    // The strict BTF map-definition grammar: __uint(name, N) is `int (*name)[N]`, __type(name, T) is `T *name`,
    // __array(values, struct {...}) is an array of pointers to the inner definition. Unknown fields fail.
    private static MapDef? Parse(string name, BtfTypeTable btf, int structId)
    {
        if (btf.Kind(structId) != BtfKind.Struct)
        {
            LibbpfLog.Warn($"map '{name}': unexpected def kind {GlobalTypeMatcher.KindName(btf.Kind(structId))}.");
            return null;
        }
        uint type = 0, keySize = 0, valueSize = 0, maxEntries = 0, flags = 0, numa = 0, pinning = 0;
        int keyType = 0, valueType = 0;
        MapDef? inner = null;
        var rec = btf.Record(structId);
        for (int w = 3; w < rec.Length; w += 3)
        {
            string field = btf.Strings.Get(rec[w]);
            int mtype = (int)rec[w + 1];
            switch (field)
            {
                case "type" or "max_entries" or "map_flags" or "numa_node" or "key_size" or "value_size" or "pinning" or "map_extra":
                    if (UintField(btf, mtype) is not { } v)
                    {
                        LibbpfLog.Warn($"map '{name}': invalid {field} field.");
                        return null;
                    }
                    switch (field)
                    {
                        case "type": type = v; break;
                        case "max_entries": maxEntries = v; break;
                        case "map_flags": flags = v; break;
                        case "numa_node": numa = v; break;
                        case "key_size": keySize = v; break;
                        case "value_size": valueSize = v; break;
                        case "pinning": pinning = v; break;
                    }
                    break;
                case "key" or "value":
                    if (btf.Kind(mtype) != BtfKind.Ptr)
                    {
                        LibbpfLog.Warn($"map '{name}': {field} spec is not PTR: {GlobalTypeMatcher.KindName(btf.Kind(mtype))}.");
                        return null;
                    }
                    int target = (int)btf.SizeOrType(mtype);
                    long size = BtfSize.Resolve(btf, target);
                    if (size < 0)
                        return null;
                    if (field == "key")
                        (keyType, keySize) = (target, (uint)size);
                    else
                        (valueType, valueSize) = (target, (uint)size);
                    break;
                case "values":
                    int arr = GlobalTypeMatcher.SkipModsAndTypedefs(btf, mtype);
                    if (btf.Kind(arr) != BtfKind.Array)
                        return null;
                    int ptr = GlobalTypeMatcher.SkipModsAndTypedefs(btf, (int)btf.Record(arr)[3]);
                    if (btf.Kind(ptr) != BtfKind.Ptr)
                        return null;
                    int innerDef = GlobalTypeMatcher.SkipModsAndTypedefs(btf, (int)btf.SizeOrType(ptr));
                    if (btf.Kind(innerDef) == BtfKind.Struct)
                    {
                        inner = Parse($"{name}.inner", btf, innerDef);
                        if (inner is null)
                            return null;
                    }
                    valueSize = 4;
                    break;
                default:
                    LibbpfLog.Warn($"map '{name}': unknown field '{field}'.");
                    return null;
            }
        }
        return new MapDef(type, keySize, keyType, valueSize, valueType, maxEntries, flags, numa, pinning, inner);
    }

    private static uint? UintField(BtfTypeTable btf, int id)
    {
        if (btf.Kind(id) != BtfKind.Ptr)
            return null;
        int arr = (int)btf.SizeOrType(id);
        return btf.Kind(arr) == BtfKind.Array ? btf.Record(arr)[5] : null;
    }

    private static string Fail(string text)
    {
        LibbpfLog.Warn(text);
        return text;
    }
}

/// <summary>libbpf's <c>btf__resolve_size</c> on a <see cref="BtfTypeTable"/>: byte size of a type, negative on error.</summary>
internal static class BtfSize
{
    public static long Resolve(BtfTypeTable btf, int id)
    {
        long nelems = 1;
        for (int depth = 0; depth < 32; depth++)
        {
            switch (btf.Kind(id))
            {
                case BtfKind.Int or BtfKind.Struct or BtfKind.Union or BtfKind.Enum or BtfKind.Enum64 or BtfKind.Datasec or BtfKind.Float:
                    return nelems * btf.SizeOrType(id);
                case BtfKind.Ptr:
                    return nelems * 8;
                case BtfKind.Typedef or BtfKind.Volatile or BtfKind.Const or BtfKind.Restrict or BtfKind.Var or BtfKind.DeclTag or BtfKind.TypeTag:
                    id = (int)btf.SizeOrType(id);
                    break;
                case BtfKind.Array:
                    var a = btf.Record(id);
                    nelems *= a[5];
                    id = (int)a[3];
                    break;
                default:
                    return -Errno.EINVAL;
            }
        }
        return -Errno.E2BIG;
    }
}
