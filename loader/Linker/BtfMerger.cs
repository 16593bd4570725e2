using BpfLoader.Btf;
using BpfLoader.Btf.Dedup;
using BpfLoader.Diagnostics;

namespace BpfLoader.Linker;

/// <summary>
/// Step 5 of adding an input: append its BTF types (all but DATASECs) to the output BTF, one VAR/FUNC per
/// global (a global seen before reuses its type), re-point globals whose winning definition came from this
/// input, and collect DATASEC members per output section (emitted as DATASECs when the link is finalized).
/// </summary>
internal static class BtfMerger
{
    public static void Append(LinkState state, LinkerInput input)
    {
        var src = input.Btf;
        if (src is null)
            return;
        var dst = state.Btf;
        int startId = dst.TypeCount;
        var map = new int[src.TypeCount];
        input.TypeMap = map;
        for (int id = 1; id < src.TypeCount; id++)
        {
            if (src.Kind(id) == BtfKind.Datasec)
                continue;
            GlobalSymbol? glob = null;
            if (SymbolResolver.IsNonStatic(src, id))
            {
                glob = state.FindGlobal(src.Name(id));
                if (glob is null)
                    continue;   // a VAR of a dropped duplicate license/version section
                if (glob.UnderlyingBtfId == 0)
                    glob.UnderlyingBtfId = -(int)src.SizeOrType(id);
                if (glob.BtfId != 0)
                {
                    map[id] = glob.BtfId;
                    continue;
                }
            }
            map[id] = CopyType(dst, src, id);
            if (glob is not null)
            {
                glob.BtfId = map[id];
                glob.UnderlyingBtfId = -(int)src.SizeOrType(id);
            }
        }

        for (int id = startId; id < dst.TypeCount; id++)
        {
            var rec = dst.Record(id);
            foreach (int slot in BtfTypeSlots.TypeIdSlots(dst.Kind(id), dst.Vlen(id)))
            {
                int mapped = map[rec[slot]];
                if (mapped == 0 && rec[slot] != 0)
                    throw BpfLinkException.Warn($"failed to find new ID mapping for original BTF type ID {rec[slot]}", Errno.EINVAL, input.Path);
                rec[slot] = (uint)mapped;
            }
        }

        foreach (var glob in state.Globals)
        {
            if (glob.UnderlyingBtfId >= 0)
                continue;
            glob.UnderlyingBtfId = map[-glob.UnderlyingBtfId];
            dst.SetSizeOrType(glob.BtfId, (uint)glob.UnderlyingBtfId);
        }

        AppendDatasecMembers(state, input, map);
    }

    // Copies one record, re-adding its strings to the output string set; type ids are mapped afterwards.
    private static int CopyType(BtfTypeTable dst, BtfTypeTable src, int id)
    {
        var rec = src.Record(id).ToArray();
        foreach (int slot in BtfTypeSlots.StringSlots(src.Kind(id), src.Vlen(id)))
            rec[slot] = rec[slot] == 0 ? 0 : dst.Strings.Add(src.Strings.GetBytes(rec[slot]));
        return dst.Add(rec);
    }

    private static void AppendDatasecMembers(LinkState state, LinkerInput input, int[] map)
    {
        var src = input.Btf!;
        var dst = state.Btf;
        foreach (var sec in input.Sections)
        {
            if (sec.DatasecId == 0 || sec.Skipped)
                continue;
            var dstSec = sec.Destination!;
            dstSec.HasBtf = true;
            var rec = src.Record(sec.DatasecId);
            for (int w = 3; w < rec.Length; w += 3)
            {
                int newId = map[rec[w]];
                GlobalSymbol? glob = null;
                if (SymbolResolver.IsNonStatic(dst, newId))
                {
                    string name = dst.Name(newId);
                    glob = state.FindGlobal(name)!;
                    if (glob.SectionId != dstSec.Id)
                        throw BpfLinkException.Warn($"global '{name}': section mismatch {glob.SectionId} vs {dstSec.Id}", Errno.EINVAL, input.Path, name);
                }
                if (glob is not null && glob.VarIndex >= 0)
                {
                    if (dst.Kind(newId) == BtfKind.Func)
                        continue;
                    long size = BtfSize.Resolve(dst, glob.UnderlyingBtfId);
                    if (size < 0)
                        throw BpfLinkException.Warn($"global '{glob.Name}': failed to resolve size of underlying type: {size}", Errno.EINVAL, input.Path, glob.Name);
                    // libbpf indexes the member list of the section the global is in now (see the spec on the
                    // upstream quirk when a global moves between sections).
                    var entry = dstSec.Vars[glob.VarIndex];
                    dstSec.Vars[glob.VarIndex] = entry with { Size = (uint)size };
                    continue;
                }
                dstSec.Vars.Add(new BtfVarSecInfo(newId, (uint)sec.DestinationOffset + rec[w + 1], rec[w + 2]));
                if (glob is not null)
                    glob.VarIndex = dstSec.Vars.Count - 1;
            }
        }
    }
}
