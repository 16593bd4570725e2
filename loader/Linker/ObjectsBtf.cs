using BpfLoader.Btf.Dedup;
using BpfLoader.Elf;

namespace BpfLoader.Linker;

/// <summary>
/// The un-deduplicated BTF that linking many objects starts from: every object's .BTF back to back. Lives with
/// the linker (which may read ELF) rather than with dedup, because the Btf folder sits below Elf.
/// </summary>
internal static class ObjectsBtf
{
    /// <summary>The .BTF of every object in <paramref name="objectPaths"/> (objects without BTF are skipped), concatenated.</summary>
    public static BtfTypeTable Concatenate(IEnumerable<string> objectPaths)
        => BtfConcatenation.Concatenate(objectPaths
            .Select(p => (Path: p, Section: ElfFile.Open(p).FindSection(".BTF")))
            .Where(x => x.Section is not null)
            .Select(x => BtfTypeTable.Parse(x.Section!.Data.ToArray(), x.Path)));
}
