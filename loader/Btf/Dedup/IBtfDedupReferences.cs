namespace BpfLoader.Btf.Dedup;

/// <summary>
/// String offsets and type ids held outside the BTF (libbpf's <c>btf_ext</c> option of <c>btf__dedup</c>):
/// the deduplicator calls these so they follow the renumbering.
/// </summary>
internal interface IBtfDedupReferences
{
    /// <summary>Visits every string offset (section names, line_info file/line, CO-RE access strings) in libbpf's order.</summary>
    void RemapStrings(Func<uint, uint> remap);

    /// <summary>Visits every type id (func_info and CO-RE records).</summary>
    void RemapTypeIds(Func<int, int> remap);
}
