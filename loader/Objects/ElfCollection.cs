using BpfLoader.Diagnostics;
using BpfLoader.Elf;

namespace BpfLoader.Objects;

/// <summary>
/// The refusals of libbpf's ELF collection step (<c>bpf_object__elf_collect</c>), made first and in its order so
/// that an object with several problems is refused for the one libbpf names: the symbol table must exist, then
/// each section in index order — a <c>version</c> section must be 4 bytes, a legacy <c>maps</c> section is
/// refused, and in each code section every function symbol (in symbol-table order) must lie inside the section
/// and, outside <c>.text</c>, be global. BTF, externs, maps and relocations are only looked at afterwards.
/// </summary>
internal static class ElfCollection
{
    public static void Check(ElfFile elf, string objName, string path)
    {
        if (elf.SymbolTableIndex < 0)
            throw LibbpfError.ForObject(objName, $"elf: couldn't find symbol table in {path}, stripped object file?", Errno.ENOENT);
        foreach (var sec in elf.Sections)
        {
            switch (sec.Name)
            {
                case "version" when sec.Size != 4:
                    throw LibbpfError.ForObject(objName, $"invalid kver section in {path}", Errno.LibbpfFormat);
                case "maps":
                    throw LibbpfError.ForObject(objName, "elf: legacy map definitions in 'maps' section are not supported by libbpf v1.0+", Errno.EOPNOTSUPP);
            }
            if (sec.Type == ElfConstants.ShtProgbits && sec.IsExecutable && sec.Size > 0)
                CheckProgramSymbols(elf, sec, objName);
        }
    }

    private static void CheckProgramSymbols(ElfFile elf, ElfSection sec, string objName)
    {
        foreach (var sym in elf.Symbols)
        {
            if (sym.SectionIndex != sec.Index || sym.Type != ElfConstants.SttFunc)
                continue;
            if (sym.Value + sym.Size > sec.Size || sym.Value + sym.Size < sym.Value)
                throw LibbpfError.ForObject(objName, $"sec '{sec.Name}': program at offset {sym.Value} crosses section boundary", Errno.LibbpfFormat);
            if (sec.Name != ".text" && sym.IsLocal)
                throw LibbpfError.ForObject(objName, $"sec '{sec.Name}': program '{sym.Name}' is static and not supported", Errno.ENOTSUP);
        }
    }
}
