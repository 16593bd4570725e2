using BpfLoader.Diagnostics;
using BpfLoader.Elf;
using BpfLoader.Kernel;
using BpfLoader.Maps;
using BpfLoader.Programs;

namespace BpfLoader.Objects;

using Btf = BpfLoader.Btf.Btf;
using BtfKind = BpfLoader.Btf.BtfKind;
using BtfMember = BpfLoader.Btf.BtfMember;

/// <summary>
/// BTF-defined maps: every variable of the <c>.maps</c> DATASEC is a struct whose members describe the map
/// (<c>__uint(type, ...)</c> is <c>int (*type)[N]</c>, <c>__type(key, T)</c> is <c>T *key</c>,
/// <c>__array(values, ...)</c> declares inner maps or program-array slots).
/// </summary>
internal static class MapDefinitions
{
    public static List<BpfMap> ReadBtfMaps(ElfFile elf, string objName, Btf? btf)
    {
        var result = new List<BpfMap>();
        var sec = elf.FindSection(".maps");
        if (sec is null)
            return result;
        if (elf.FindSection("maps") is not null)
            throw LibbpfError.ForObject(objName, "legacy map definitions in 'maps' section are not supported by libbpf v1.0+", Errno.EOPNOTSUPP);
        if (btf is null)
            throw LibbpfError.ForObject(objName, "BTF is required, but is missing or corrupted.", Errno.ENOENT);
        int datasecId = btf.FindByName(".maps", BtfKind.Datasec);
        if (datasecId <= 0)
            throw LibbpfError.ForObject(objName, "DATASEC '.maps' not found.", Errno.EINVAL);

        var symbols = elf.Symbols.Where(s => s.SectionIndex == sec.Index && s.Type == ElfConstants.SttObject).ToList();
        foreach (var vsi in btf[datasecId].DatasecVars)
        {
            var variable = btf[vsi.Type];
            if (variable.Kind != BtfKind.Var)
                throw LibbpfError.ForObject(objName, $"map #{result.Count}: unexpected var kind {variable.Kind}.", Errno.EINVAL);
            string name = variable.Name;
            var def = btf[btf.SkipModsAndTypedefs(variable.Type)];
            if (def.Kind != BtfKind.Struct)
                throw LibbpfError.ForObject(objName, $"map '{name}': unexpected def kind {def.Kind}.", Errno.EINVAL);
            var sym = symbols.FirstOrDefault(s => s.Name == name);
            long offset = sym is not null ? (long)sym.Value : vsi.Offset;
            // Written so that an offset near 2^64 cannot wrap around and pass.
            if ((ulong)offset > sec.Size || vsi.Size > sec.Size - (ulong)offset)
                throw LibbpfError.ForObject(objName, $"map '{name}' BTF data is corrupted.", Errno.EINVAL);
            var map = ParseDefinition(objName, btf, name, def.Id, isInner: false);
            map.SectionName = ".maps";
            map.ElfSectionIndex = sec.Index;
            map.ElfSectionOffset = offset;
            LibbpfLog.Debug($"map '{name}': at sec_idx {sec.Index}, offset {offset}.");
            result.Add(map);
        }
        return result;
    }

    private static BpfMap ParseDefinition(string objName, Btf btf, string name, int defId, bool isInner)
    {
        uint type = 0, keySize = 0, valueSize = 0, maxEntries = 0, flags = 0, numaNode = 0, pinning = 0;
        ulong mapExtra = 0;
        int keyType = 0, valueType = 0;
        bool hasKeySize = false, hasValueSize = false;
        BpfMap? inner = null;
        var def = btf[defId];
        int index = 0;
        foreach (var m in def.Members)
        {
            string field = m.Name;
            if (field.Length == 0)
                throw LibbpfError.ForObject(objName, $"map '{name}': invalid field #{index}.", Errno.EINVAL);
            switch (field)
            {
                case "type": type = IntField(objName, btf, name, m); break;
                case "max_entries": maxEntries = IntField(objName, btf, name, m); break;
                case "map_flags": flags = IntField(objName, btf, name, m); break;
                case "numa_node": numaNode = IntField(objName, btf, name, m); break;
                case "pinning": pinning = IntField(objName, btf, name, m); break;
                case "map_extra": mapExtra = IntField(objName, btf, name, m); break;
                case "key_size":
                    keySize = Agree(objName, name, "key", keySize, IntField(objName, btf, name, m), hasKeySize || keyType != 0);
                    hasKeySize = true;
                    break;
                case "value_size":
                    valueSize = Agree(objName, name, "value", valueSize, IntField(objName, btf, name, m), hasValueSize || valueType != 0);
                    hasValueSize = true;
                    break;
                case "key":
                    (keyType, var ks) = TypeField(objName, btf, name, "key", m);
                    keySize = Agree(objName, name, "key", keySize, ks, hasKeySize);
                    hasKeySize = true;
                    break;
                case "value":
                    (valueType, var vs) = TypeField(objName, btf, name, "value", m);
                    valueSize = Agree(objName, name, "value", valueSize, vs, hasValueSize);
                    hasValueSize = true;
                    break;
                case "values":
                    if (isInner)
                        throw LibbpfError.ForObject(objName, $"map '{name}': multi-level inner maps not supported.", Errno.ENOTSUP);
                    inner = ValuesField(objName, btf, name, m);
                    if (hasValueSize && valueSize != 4)
                        throw LibbpfError.ForObject(objName, $"map '{name}': conflicting value size {valueSize} != 4.", Errno.EINVAL);
                    valueSize = 4;
                    hasValueSize = true;
                    break;
                default:
                    throw LibbpfError.ForObject(objName, $"map '{name}': unknown field '{field}'.", Errno.ENOTSUP);
            }
            index++;
        }
        if (type == 0)
            throw LibbpfError.ForObject(objName, $"map '{name}': map type isn't specified.", Errno.EINVAL);
        var map = new BpfMap(name, (BpfMapType)type, keySize, valueSize, maxEntries, flags)
        {
            NumaNode = numaNode,
            MapExtra = mapExtra,
            Pinning = (PinningType)pinning,
        };
        if (pinning > (uint)PinningType.ByName)
            throw LibbpfError.ForObject(objName, $"map '{name}': invalid pinning value {pinning}.", Errno.EINVAL);
        map.BtfKeyTypeId = keyType;
        map.BtfValueTypeId = valueType;
        if (inner is not null)
        {
            map.InnerMap = inner;
            if (map.Type == BpfMapType.ProgArray || inner.Type == BpfMapType.Unspec)
                map.InnerMap = null; // program arrays declare slots, not an inner map
        }
        return map;
    }

    /// <summary><c>__uint(field, N)</c> is encoded as <c>int (*field)[N]</c>: N is the array length.</summary>
    private static uint IntField(string objName, Btf btf, string mapName, BtfMember m)
    {
        var ptr = btf[m.Type];
        if (ptr.Kind != BtfKind.Ptr)
            throw LibbpfError.ForObject(objName, $"map '{mapName}': attr '{m.Name}': expected PTR, got {ptr.Kind}.", Errno.EINVAL);
        var arr = btf[ptr.Type];
        if (arr.Kind != BtfKind.Array)
            throw LibbpfError.ForObject(objName, $"map '{mapName}': attr '{m.Name}': type [{ptr.Type}] is not an array.", Errno.EINVAL);
        return arr.Array.NElems;
    }

    private static (int TypeId, uint Size) TypeField(string objName, Btf btf, string mapName, string what, BtfMember m)
    {
        var ptr = btf[m.Type];
        if (ptr.Kind != BtfKind.Ptr)
            throw LibbpfError.ForObject(objName, $"map '{mapName}': {what} spec is not PTR: {ptr.Kind}.", Errno.EINVAL);
        long size = btf.ResolveSize(ptr.Type);
        if (size < 0)
            throw LibbpfError.ForObject(objName, $"map '{mapName}': can't determine {what} size for type [{ptr.Type}]: {size}.", Errno.EINVAL);
        return (ptr.Type, (uint)size);
    }

    private static uint Agree(string objName, string mapName, string what, uint current, uint value, bool had)
    {
        if (had && current != value)
            throw LibbpfError.ForObject(objName, $"map '{mapName}': conflicting {what} size {current} != {value}.", Errno.EINVAL);
        return value;
    }

    /// <summary><c>__array(values, struct inner)</c>: an array of pointers to the inner map's definition (or to a func proto for program arrays).</summary>
    private static BpfMap ValuesField(string objName, Btf btf, string mapName, BtfMember m)
    {
        var arr = btf[btf.SkipModsAndTypedefs(m.Type)];
        if (arr.Kind != BtfKind.Array)
            throw LibbpfError.ForObject(objName, $"map '{mapName}': values spec is not an array: {arr.Kind}.", Errno.EINVAL);
        var ptr = btf[btf.SkipModsAndTypedefs(arr.Array.ElemType)];
        if (ptr.Kind != BtfKind.Ptr)
            throw LibbpfError.ForObject(objName, $"map '{mapName}': values spec is not an array of pointers: {ptr.Kind}.", Errno.EINVAL);
        var target = btf[btf.SkipModsAndTypedefs(ptr.Type)];
        if (target.Kind == BtfKind.FuncProto)
            return new BpfMap(mapName + ".inner", BpfMapType.Unspec, 0, 0, 0);
        if (target.Kind != BtfKind.Struct)
            throw LibbpfError.ForObject(objName, $"map '{mapName}': values spec points to {target.Kind}, expected STRUCT.", Errno.EINVAL);
        return ParseDefinition(objName, btf, mapName + ".inner", target.Id, isInner: true);
    }

    /// <summary>
    /// <c>.rel.maps</c>: relocations inside an outer map's or program array's <c>values</c> array name what to
    /// store in each slot once the maps and programs exist.
    /// </summary>
    public static void ReadMapSlots(ElfFile elf, Btf? btf, List<BpfMap> maps, List<BpfProgram> programs)
    {
        var mapsSec = elf.FindSection(".maps");
        var relSec = mapsSec is null ? null : elf.Sections.FirstOrDefault(s => s.Type == ElfConstants.ShtRel && s.Info == mapsSec.Index);
        if (relSec is null)
            return;
        var btfMaps = maps.Where(m => m.ElfSectionIndex == mapsSec!.Index && !m.IsInternal).OrderBy(m => m.ElfSectionOffset).ToList();
        foreach (var rel in elf.ReadRelocations(relSec))
        {
            var sym = elf.Symbols[rel.SymbolIndex];
            var outer = btfMaps.LastOrDefault(m => m.ElfSectionOffset <= (long)rel.Offset)
                ?? throw LibbpfError.ForObject(elf.Name, $".maps relo #{rel.Offset}: cannot find map for offset {rel.Offset}", Errno.EINVAL);
            long valuesOffset = ValuesMemberOffset(outer, btf);
            // The slot is bounded while still 64-bit: narrowing first could wrap a far offset into range.
            long slotIndex = ((long)rel.Offset - outer.ElfSectionOffset - valuesOffset) / 8;
            if (slotIndex < 0 || (ulong)slotIndex >= outer.MaxEntries || slotIndex > int.MaxValue)
                throw LibbpfError.ForObject(elf.Name, $"map '{outer.Name}': slot [{slotIndex}] is out of bounds for max_entries {outer.MaxEntries}", Errno.EINVAL);
            int slot = (int)slotIndex;
            if (slot < 0 || (ulong)slot >= outer.MaxEntries)
                throw LibbpfError.ForObject(elf.Name, $"map '{outer.Name}': slot [{slot}] is out of bounds for max_entries {outer.MaxEntries}", Errno.EINVAL);
            object target;
            if (outer.Type == BpfMapType.ProgArray)
            {
                target = programs.FirstOrDefault(p => p.Name == sym.Name)
                    ?? throw LibbpfError.ForObject(elf.Name, $"map '{outer.Name}': can't find program '{sym.Name}' for slot [{slot}]", Errno.ESRCH);
            }
            else
            {
                target = maps.FirstOrDefault(m => m.ElfSectionIndex == mapsSec!.Index && m.ElfSectionOffset == (long)sym.Value)
                    ?? throw LibbpfError.ForObject(elf.Name, $"map '{outer.Name}': can't find map '{sym.Name}' for slot [{slot}]", Errno.ESRCH);
            }
            outer.InitialSlots[slot] = target;
            LibbpfLog.Debug($".maps relo: map '{outer.Name}' slot [{slot}] points to '{sym.Name}'.");
        }
    }

    private static long ValuesMemberOffset(BpfMap outer, Btf? btf)
    {
        if (btf is null)
            return 0;
        int datasecId = btf.FindByName(".maps", BtfKind.Datasec);
        foreach (var vsi in btf[datasecId].DatasecVars)
        {
            var variable = btf[vsi.Type];
            if (variable.Name != outer.Name)
                continue;
            foreach (var m in btf[btf.SkipModsAndTypedefs(variable.Type)].Members)
            {
                if (m.Name == "values")
                    return m.BitOffset / 8;
            }
        }
        return 0;
    }
}
