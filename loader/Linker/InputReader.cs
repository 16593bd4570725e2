using System.Buffers.Binary;
using BpfLoader.Btf;
using BpfLoader.Btf.Dedup;
using BpfLoader.Diagnostics;
using BpfLoader.Elf;

namespace BpfLoader.Linker;

/// <summary>
/// Step 1 of adding an input: read and check the ELF as libbpf's linker does (header, section classification,
/// section/symbol/relocation sanity, BTF and .BTF.ext parsing) and run the BTF pre-fixup that gives DATASECs
/// their real sizes and global variables their symbol offsets. Every rejection carries libbpf's text.
/// </summary>
internal static class InputReader
{
    private const uint ShtLlvmAddrsig = 0x6fff4c03;
    private const ushort ShnLoReserve = 0xff00;

    public static LinkerInput Read(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            int errno = e is FileNotFoundException or DirectoryNotFoundException ? Errno.ENOENT
                : e is UnauthorizedAccessException ? Errno.EACCES : Errno.EIO;
            throw BpfLinkException.Warn($"failed to open file '{path}': {Errno.Str(errno)}", errno, path);
        }
        return Parse(bytes, path);
    }

    public static LinkerInput Parse(byte[] bytes, string path)
    {
        CheckHeader(bytes, path);
        ElfFile elf;
        try
        {
            elf = ElfFile.Parse(bytes, path);
        }
        catch (BpfFormatException e)
        {
            throw BpfLinkException.Warn($"failed to parse ELF file '{path}': {e.Message}", Errno.EINVAL, path);
        }
        var input = new LinkerInput(path, elf);
        Classify(input);
        CheckSymbols(input);
        CheckRelocations(input);
        FixupBtf(input);
        return input;
    }

    private static void CheckHeader(ReadOnlySpan<byte> s, string path)
    {
        if (s.Length < 64 || s[0] != 0x7f || s[1] != 'E' || s[2] != 'L' || s[3] != 'F')
            throw BpfLinkException.Warn($"failed to get ELF header for {path}: not an ELF file", Errno.EINVAL, path);
        if (s[5] is not (1 or 2))
            throw BpfLinkException.Warn($"unknown byte order of ELF file {path}", Errno.EOPNOTSUPP, path);
        ushort type = BinaryPrimitives.ReadUInt16LittleEndian(s[16..]), machine = BinaryPrimitives.ReadUInt16LittleEndian(s[18..]);
        if (s[5] == 2)   // libbpf links big-endian objects too; this linker writes little-endian only
            throw BpfLinkException.Warn($"unsupported byte order of ELF file {path}: big-endian objects are not supported", Errno.EOPNOTSUPP, path);
        if (type != ElfConstants.EtRel || machine != ElfConstants.EmBpf || s[4] != 2)
            throw BpfLinkException.Warn($"unsupported kind of ELF file {path}: not a relocatable 64-bit BPF object", Errno.EOPNOTSUPP, path);
    }

    // The classification table of libbpf's linker: what is kept, parsed, skipped or refused.
    private static void Classify(LinkerInput input)
    {
        string path = input.Path;
        var elf = input.Elf;
        input.Sections.Add(new InputSection(0, "", null) { Skipped = true });
        ElfSection? btfSec = null, extSec = null;
        bool haveSymtab = false;
        for (int i = 1; i < elf.Sections.Count; i++)
        {
            var sec = elf.Sections[i];
            var src = new InputSection(i, sec.Name, sec);
            input.Sections.Add(src);
            bool dwarf = sec.Name.StartsWith(".debug_", StringComparison.Ordinal);
            if (sec.Name.Length == 0)
                throw BpfLinkException.Warn($"ELF section #{i} has empty name in {path}", Errno.EINVAL, path);
            if (!dwarf && sec.Alignment != 0 && (sec.Alignment & (sec.Alignment - 1)) != 0)
                throw BpfLinkException.Warn($"ELF section #{i} alignment {sec.Alignment} is non pow-of-2 alignment in {path}", Errno.EINVAL, path);
            if (sec.Type == ElfConstants.ShtStrtab || sec.Type == ShtLlvmAddrsig || dwarf
                || (sec.Name == ".text" && sec.Type == ElfConstants.ShtProgbits && sec.Size == 0)
                || sec.Name is ".rel.BTF" or ".rel.BTF.ext" || sec.Name.StartsWith(".rel.debug_", StringComparison.Ordinal))
            {
                src.Skipped = true;
                continue;
            }
            switch (sec.Type)
            {
                case ElfConstants.ShtSymtab:
                    if (haveSymtab)
                        throw BpfLinkException.Warn("multiple SYMTAB sections found, not supported", Errno.EOPNOTSUPP, path);
                    haveSymtab = true;
                    src.Skipped = true;
                    if (sec.EntrySize != 24 || sec.Size % 24 != 0)
                        throw BpfLinkException.Warn($"ELF SYMTAB section #{i} has invalid entry size in {path}", Errno.EINVAL, path);
                    break;
                case ElfConstants.ShtProgbits when sec.Name == ".BTF":
                    btfSec = sec;
                    src.Skipped = true;
                    break;
                case ElfConstants.ShtProgbits when sec.Name == ".BTF.ext":
                    extSec = sec;
                    src.Skipped = true;
                    break;
                case ElfConstants.ShtProgbits:
                    if (sec.IsExecutable && sec.Size % 8 != 0)
                        throw BpfLinkException.Warn($"ELF section #{i} has unexpected size alignment {sec.Size} in {path}", Errno.EINVAL, path);
                    break;
                case ElfConstants.ShtNobits or ElfConstants.ShtRel:
                    break;
                default:
                    throw BpfLinkException.Warn($"unrecognized section #{i} ({sec.Name}) in {path}", Errno.EINVAL, path);
            }
        }
        if (!haveSymtab)
            throw BpfLinkException.Warn($"ELF is missing SYMTAB section in {path}", Errno.EINVAL, path);
        if (btfSec is not null)
            ParseBtf(input, btfSec, extSec);
        else if (extSec is not null)
            throw BpfLinkException.Warn($"failed to parse .BTF.ext from '{path}': {Errno.Str(Errno.EINVAL)} (no .BTF)", Errno.EINVAL, path);
    }

    private static void ParseBtf(LinkerInput input, ElfSection btfSec, ElfSection? extSec)
    {
        string path = input.Path;
        BpfLoader.Btf.Btf btf;
        try
        {
            btf = BpfLoader.Btf.Btf.Parse(btfSec.Data.ToArray(), null, path);
            input.Btf = BtfTypeTable.FromBtf(btf);
            input.Btf.Validate(path);
        }
        catch (BpfFormatException e)
        {
            throw BpfLinkException.Warn($"failed to parse .BTF from {path}: {Errno.Str(e.Error)} ({e.Message})", e.Error, path);
        }
        if (extSec is null)
            return;
        try
        {
            input.BtfExt = BtfExt.Parse(extSec.Data, btf, path);
        }
        catch (BpfFormatException e)
        {
            throw BpfLinkException.Warn($"failed to parse .BTF.ext from '{path}': {Errno.Str(e.Error)} ({e.Message})", e.Error, path);
        }
    }

    private static void CheckSymbols(LinkerInput input)
    {
        string path = input.Path;
        IReadOnlyList<ElfSymbol> symbols;
        try
        {
            symbols = input.Elf.Symbols;
        }
        catch (BpfFormatException e)
        {
            throw BpfLinkException.Warn($"failed to parse ELF file '{path}': {e.Message}", Errno.EINVAL, path);
        }
        var st = input.Elf.Sections[input.Elf.SymbolTableIndex];
        if (st.Link == 0 || st.Link >= input.Elf.Sections.Count)
            throw BpfLinkException.Warn($"ELF SYMTAB section #{st.Index} points to missing STRTAB section #{st.Link} in {path}", Errno.EINVAL, path);
        var sym0 = symbols.Count > 0 ? symbols[0] : null;
        if (sym0 is null || sym0.Name.Length != 0 || sym0.Value != 0 || sym0.Size != 0 || sym0.SectionIndex != 0 || sym0.Bind != 0 || sym0.Type != 0)
            throw BpfLinkException.Warn($"ELF sym #0 is invalid in {path}", Errno.EINVAL, path);
        for (int i = 1; i < symbols.Count; i++)
        {
            var sym = symbols[i];
            if (sym.Bind is not (ElfConstants.StbLocal or ElfConstants.StbGlobal or ElfConstants.StbWeak))
                throw BpfLinkException.Warn($"ELF sym #{i} in section #{st.Index} has unsupported symbol binding {sym.Bind}", Errno.EINVAL, path, sym.Name);
            if (sym.Visibility is not (ElfConstants.StvDefault or ElfConstants.StvHidden))
                throw BpfLinkException.Warn($"ELF sym #{i} in section #{st.Index} has unsupported symbol visibility {sym.Visibility}", Errno.EINVAL, path, sym.Name);
            if (sym.SectionIndex == ElfConstants.ShnUndef)
            {
                if (sym.Type != ElfConstants.SttNotype || sym.IsLocal || sym.Value != 0 || sym.Size != 0)
                    throw BpfLinkException.Warn($"ELF sym #{i} is invalid extern symbol in {path}", Errno.EINVAL, path, sym.Name);
                continue;
            }
            if (sym.SectionIndex < ShnLoReserve && sym.SectionIndex >= input.Elf.Sections.Count)
                throw BpfLinkException.Warn($"ELF sym #{i} in section #{st.Index} points to missing section #{sym.SectionIndex} in {path}", Errno.EINVAL, path, sym.Name);
            if (sym.Type == ElfConstants.SttSection && sym.Value != 0)
                throw BpfLinkException.Warn($"ELF sym #{i} is a section symbol with a non-zero value in {path}", Errno.EINVAL, path, sym.Name);
        }
        input.SymbolMap = new int[symbols.Count];
    }

    private static void CheckRelocations(LinkerInput input)
    {
        string path = input.Path;
        int symCount = input.Elf.Symbols.Count;
        foreach (var src in input.Sections)
        {
            if (src.Skipped || !src.IsRelocation)
                continue;
            var sec = src.Elf!;
            int i = sec.Index;
            if (sec.EntrySize != 16 || sec.Size % 16 != 0)
                throw BpfLinkException.Warn($"ELF relo section #{i} has invalid entry size in {path}", Errno.EINVAL, path);
            if (sec.Link != input.Elf.SymbolTableIndex)
                throw BpfLinkException.Warn($"ELF relo section #{i} points to invalid SYMTAB section #{sec.Link} in {path}", Errno.EINVAL, path);
            if (sec.Info == 0 || sec.Info >= input.Elf.Sections.Count)
                throw BpfLinkException.Warn($"ELF relo section #{i} points to missing section #{sec.Info} in {path}", Errno.EINVAL, path);
            var target = input.Sections[(int)sec.Info];
            if (sec.Name != ".rel" + target.Name)
                throw BpfLinkException.Warn($"ELF relo section #{i} name has invalid name in {path}", Errno.EINVAL, path);
            if (target.Skipped)
            {
                src.Skipped = true;
                continue;
            }
            if (target.Elf!.Type is not (ElfConstants.ShtProgbits or ElfConstants.ShtNobits))
                throw BpfLinkException.Warn($"ELF relo section #{i} points to invalid section #{sec.Info} in {path}", Errno.EINVAL, path);
            var relocs = input.Elf.ReadRelocations(sec);
            for (int r = 0; r < relocs.Count; r++)
            {
                var rel = relocs[r];
                if (rel.Type is not (ElfConstants.RBpf64_64 or ElfConstants.RBpf64Abs64 or ElfConstants.RBpf64Abs32 or ElfConstants.RBpf64_32))
                    throw BpfLinkException.Warn($"ELF relo #{r} in section #{i} has unexpected type {rel.Type} in {path}", Errno.EINVAL, path);
                if (rel.SymbolIndex == 0 || rel.SymbolIndex >= symCount)
                    throw BpfLinkException.Warn($"ELF relo #{r} in section #{i} points to invalid symbol #{rel.SymbolIndex} in {path}", Errno.EINVAL, path);
                if (rel.Offset >= target.Elf.Size)
                    throw BpfLinkException.Warn($"ELF relo #{r} in section #{i} points past the end of section #{sec.Info} ({target.Elf.Size} bytes) in {path}", Errno.EINVAL, path);
                if (target.Elf.IsExecutable && rel.Offset % 8 != 0)
                    throw BpfLinkException.Warn($"ELF relo #{r} in section #{i} points to missing symbol #{rel.SymbolIndex} in {path}", Errno.EINVAL, path);
            }
        }
    }

    // DATASEC sizes from the ELF, shells for BTF-only sections (.kconfig, .ksyms, extern-only .maps), and
    // global variable offsets from their symbols (clang leaves both at 0).
    private static void FixupBtf(LinkerInput input)
    {
        var btf = input.Btf;
        if (btf is null)
            return;
        for (int id = 1; id < btf.TypeCount; id++)
        {
            if (btf.Kind(id) != BtfKind.Datasec)
                continue;
            string name = btf.Name(id);
            var sec = input.FindSection(name);
            if (sec is not null)
            {
                if (!sec.Ephemeral)
                    btf.SetSizeOrType(id, (uint)sec.Elf!.Size);
            }
            else
            {
                if (name == ".extern")
                    continue;
                sec = new InputSection(0, name, null);
                input.Sections.Add(sec);
            }
            sec.DatasecId = id;
            var rec = btf.Record(id);
            for (int v = 3; v < rec.Length; v += 3)
            {
                int varId = (int)rec[v];
                if (btf.Kind(varId) != BtfKind.Var || btf.Record(varId)[3] != (uint)BtfVarLinkage.GlobalAllocated)
                    continue;
                string varName = btf.Name(varId);
                var sym = input.Elf.Symbols.FirstOrDefault(s => s.SectionIndex == sec.Index && s.Type == ElfConstants.SttObject && s.Name == varName)
                    ?? throw BpfLinkException.Warn($"failed to find symbol for variable '{varName}' in section '{name}'", Errno.ENOENT, input.Path, varName);
                rec[v + 1] = (uint)sym.Value;
            }
        }
    }
}
