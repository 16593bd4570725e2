using BpfLoader.Btf;
using BpfLoader.Diagnostics;

namespace BpfLoader.Linker;

/// <summary>
/// Step 6 of adding an input: its .BTF.ext func_info, line_info and CO-RE records, appended to the lists of the
/// output section their ELF section went to, with instruction offsets moved by the chunk start, type ids mapped
/// and strings re-added to the output BTF.
/// </summary>
internal static class BtfExtMerger
{
    public static void Append(LinkState state, LinkerInput input)
    {
        var ext = input.BtfExt;
        if (ext is null)
            return;
        var strings = state.Btf.Strings;
        var srcStrings = input.Btf!.Strings;
        uint Str(uint off) => off == 0 ? 0 : strings.Add(srcStrings.GetBytes(off));
        uint Type(int id) => (uint)input.TypeMap[id];

        foreach (var sec in ext.FuncInfoSections)
        {
            var (src, list) = Target(input, sec.Name, ext.FuncInfoRecSize, s => s.FuncInfos);
            foreach (var r in sec.Records)
                list.Records.Add(Pad([r.InsnOff + (uint)src.DestinationOffset, Type(r.TypeId)], list.RecordSize));
        }
        foreach (var sec in ext.LineInfoSections)
        {
            var (src, list) = Target(input, sec.Name, ext.LineInfoRecSize, s => s.LineInfos);
            foreach (var r in sec.Records)
                list.Records.Add(Pad([r.InsnOff + (uint)src.DestinationOffset, Str(r.FileNameOff), Str(r.LineOff), r.LineCol], list.RecordSize));
        }
        foreach (var sec in ext.CoreReloSections)
        {
            var (src, list) = Target(input, sec.Name, ext.CoreReloRecSize, s => s.CoreRelos);
            foreach (var r in sec.Records)
                list.Records.Add(Pad([r.InsnOff + (uint)src.DestinationOffset, Type(r.TypeId), Str(r.AccessStrOff), (uint)r.Kind], list.RecordSize));
        }
    }

    private static (InputSection Source, ExtRecordList List) Target(LinkerInput input, string secName, int recSize, Func<OutputSection, ExtRecordList> pick)
    {
        var src = input.FindSection(secName);
        if (src?.Destination is null)
            throw BpfLinkException.Warn($"can't find section '{secName}' referenced from .BTF.ext", Errno.EINVAL, input.Path);
        var list = pick(src.Destination);
        if (list.RecordSize == 0)
            list.RecordSize = recSize;
        if (list.RecordSize != recSize)
            throw BpfLinkException.Warn($"incompatible .BTF.ext record sizes for section '{secName}'", Errno.EINVAL, input.Path);
        return (src, list);
    }

    // Records larger than the known layout keep their size; the unknown tail is zero (our parser drops it).
    private static uint[] Pad(uint[] known, int recSize) => known.Length * 4 >= recSize ? known : [.. known, .. new uint[recSize / 4 - known.Length]];
}
