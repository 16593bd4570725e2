namespace BpfLoader.Objects;

using BtfExt = BpfLoader.Btf.BtfExt;

/// <summary>Raw .BTF.ext func_info / line_info records per ELF section, as the linker moves them.</summary>
internal static class BtfExtRecords
{
    internal sealed class Source(uint recordSize, Func<int, IEnumerable<ReadOnlyMemory<byte>>> recordsOf)
    {
        public uint RecordSize { get; } = recordSize;
        public IEnumerable<ReadOnlyMemory<byte>> RecordsOf(int sectionIndex) => recordsOf(sectionIndex);
    }

    public static Source FuncInfo(BtfExt ext, BpfObject obj) => new(0, _ => []);

    public static Source LineInfo(BtfExt ext, BpfObject obj) => new(0, _ => []);
}
