using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using BpfLoader.Diagnostics;
using BpfLoader.Elf;
using BpfLoader.Externs;
using BpfLoader.Interop;
using BpfLoader.Kernel;
using BpfLoader.Maps;
using BpfLoader.Programs;
using BpfLoader.StructOps;

namespace BpfLoader.Objects;

using Btf = BpfLoader.Btf.Btf;
using BtfExt = BpfLoader.Btf.BtfExt;

/// <summary>
/// The open phase: turns an ELF file into programs, maps and recorded relocations, the way
/// <c>bpf_object__open</c> does. Nothing is sent to the kernel except the placeholder memfds that give
/// every map an fd number relocations can embed before the map exists.
/// </summary>
internal static class ObjectReader
{
    internal const ulong MaxDataSectionSize = 1UL << 30;

    public static BpfObject Read(ElfFile elf, string name, string path, ObjectOpenOptions options)
    {
        ElfCollection.Check(elf, name, path);
        var license = ReadLicense(elf);
        uint kernVersion = ReadKernVersion(elf);
        var btf = ReadBtf(elf, name);
        var btfExt = btf is null ? null : ReadBtfExt(elf, name, btf);
        var externs = ExternCollector.Collect(elf, name, btf);

        var (programs, subprograms) = ReadPrograms(elf, name, options);
        var maps = new List<BpfMap>();
        try
        {
            maps.AddRange(MapDefinitions.ReadBtfMaps(elf, name, btf));
            maps.AddRange(ReadDataMaps(elf, name, btf));
            maps.AddRange(StructOpsReader.Read(elf, btf, programs));
            maps.AddRange(ExternCollector.KconfigMap(externs, name, btf));
            var relocations = RecordRelocations(elf, externs, programs.Concat(subprograms), maps);
            MapDefinitions.ReadMapSlots(elf, btf, maps, programs);
            foreach (var map in maps)
                map.AdoptFd(CreatePlaceholderFd(map.Name));
            return new BpfObject(name, path, elf, btf, btfExt, license, kernVersion, programs, subprograms, maps, relocations, externs, options);
        }
        catch
        {
            foreach (var map in maps)
                map.Dispose();
            throw;
        }
    }

    private static string ReadLicense(ElfFile elf)
    {
        var sec = elf.FindSection("license");
        if (sec is null)
            return "";
        var bytes = sec.Data.Span;
        int end = bytes.IndexOf((byte)0);
        var license = Encoding.UTF8.GetString(end >= 0 ? bytes[..end] : bytes);
        LibbpfLog.Debug($"license of {elf.Name} is {license}");
        return license;
    }

    private static uint ReadKernVersion(ElfFile elf)
    {
        var sec = elf.FindSection("version");
        if (sec is null)
            return 0;
        return BinaryPrimitives.ReadUInt32LittleEndian(sec.Data.Span);
    }

    // The object's BTF is edited later (DATASEC fix-ups, externs), but Btf copies its sections on the first
    // edit, so parsing the ELF's bytes directly is safe and saves a copy per open.
    private static Btf? ReadBtf(ElfFile elf, string name)
        => ReadOptional(elf, ".BTF", "", data => Btf.Parse(data, null, name));

    private static BtfExt? ReadBtfExt(ElfFile elf, string name, Btf btf)
        => ReadOptional(elf, ".BTF.ext", " Ignored and continue.", data => BtfExt.Parse(data, btf, name));

    /// <summary>
    /// .BTF and .BTF.ext as libbpf reads them: a section that does not parse is reported (WARN) and left out, unless
    /// the object needs BTF (BTF maps, struct_ops): then "BTF is required" and the parse error refuses the object.
    /// </summary>
    private static T? ReadOptional<T>(ElfFile elf, string section, string ignoredNote, Func<ReadOnlyMemory<byte>, T> parse) where T : class
    {
        var sec = elf.FindSection(section);
        if (sec is null)
            return null;
        try
        {
            return parse(sec.Data);
        }
        catch (BpfException e)
        {
            LibbpfLog.Warn($"Error loading ELF section {section}: {Errno.Str(e.Error)}.{ignoredNote}");
            if (!NeedsBtf(elf))
                return null;
            LibbpfLog.Warn("BTF is required, but is missing or corrupted.");
            throw;
        }
    }

    /// <summary>libbpf's <c>libbpf_needs_btf</c> at the time the BTF is read: BTF-defined maps or struct_ops maps.</summary>
    private static bool NeedsBtf(ElfFile elf)
        => elf.Sections.Any(s => s.Name is ".maps" or ".struct_ops" || s.Name.StartsWith(".struct_ops.", StringComparison.Ordinal));

    private static (List<BpfProgram> Programs, List<BpfProgram> Subprograms) ReadPrograms(ElfFile elf, string objName, ObjectOpenOptions options)
    {
        var programs = new List<BpfProgram>();
        var subprograms = new List<BpfProgram>();
        foreach (var sec in elf.Sections)
        {
            if (sec.Type != ElfConstants.ShtProgbits || !sec.IsExecutable || sec.Size == 0)
                continue;
            bool isText = sec.Name == ".text";
            bool autoload = !sec.Name.StartsWith('?');
            string secName = autoload ? sec.Name : sec.Name[1..];
            var definition = isText ? null : SectionDefinitions.Find(secName);
            var functions = elf.Symbols
                .Where(s => s.SectionIndex == sec.Index && s.Type == ElfConstants.SttFunc)
                .OrderBy(s => s.Value)
                .ToList();
            if (functions.Count == 0)
                continue; // libbpf makes programs of function symbols only; an executable section without any holds none
            var insns = MemoryMarshal.Cast<byte, Instruction>(sec.Data.Span);
            for (int i = 0; i < functions.Count; i++)
            {
                var sym = functions[i];
                ulong end = sym.Size != 0 ? sym.Value + sym.Size : i + 1 < functions.Count ? functions[i + 1].Value : sec.Size;
                if (sym.Value % Instruction.Size != 0 || end > sec.Size || end <= sym.Value)
                    throw LibbpfError.ForObject(objName, $"sec '{sec.Name}': program '{sym.Name}' at offset {sym.Value} with size {sym.Size} is invalid", Errno.EINVAL);
                int start = (int)(sym.Value / Instruction.Size);
                var code = insns.Slice(start, (int)((end - sym.Value) / Instruction.Size)).ToArray();
                var prog = new BpfProgram(sym.Name, secName, sec.Index, start, code, isText, autoload, definition) { LogLevel = options.LogLevel };
                if (isText)
                {
                    subprograms.Add(prog);
                    continue;
                }
                if (definition is null)
                    LibbpfLog.Debug($"prog '{sym.Name}': unrecognized ELF section name '{secName}'");
                programs.Add(prog);
            }
        }
        return (programs, subprograms);
    }

    private static IEnumerable<BpfMap> ReadDataMaps(ElfFile elf, string objName, Btf? btf)
    {
        foreach (var sec in elf.Sections)
        {
            if (!InternalMapNames.IsDataSection(sec.Name) || sec.IsExecutable || sec.Size == 0 || sec.Name == ".kconfig")
                continue;
            if (sec.Type is not (ElfConstants.ShtProgbits or ElfConstants.ShtNobits))
                continue;
            // NOBITS sizes are not bounded by the file; a map value cannot exceed what the kernel allocates anyway.
            if (sec.Size > MaxDataSectionSize)
                throw LibbpfError.ForObject(objName, $"sec '{sec.Name}': size {sec.Size} is too large for a global data map", Errno.E2BIG);
            bool readOnly = sec.Name.StartsWith(".rodata", StringComparison.Ordinal);
            uint flags = BpfFlags.Mmapable | (readOnly ? BpfFlags.RdOnlyProg : 0);
            var map = new BpfMap(InternalMapNames.For(objName, sec.Name), BpfMapType.Array, 4, (uint)sec.Size, 1, flags)
            {
                SectionName = sec.Name,
                IsInternal = true,
                ElfSectionIndex = sec.Index,
                InitialData = sec.IsNoBits ? null : sec.Data.ToArray(),
            };
            if (sec.IsNoBits)
                map.SetZeroImage((int)sec.Size); // allocated on first use: a crafted size costs nothing at open
            if (btf is not null)
            {
                int datasec = btf.FindByName(sec.Name, BpfLoader.Btf.BtfKind.Datasec);
                if (datasec > 0)
                    map.BtfValueTypeId = datasec;
            }
            LibbpfLog.Debug($"map '{map.Name}' (global data): at sec_idx {sec.Index}, offset 0, flags {flags:x}.");
            yield return map;
        }
    }

    private static Dictionary<BpfProgram, List<Relocation>> RecordRelocations(ElfFile elf, ObjectExterns externs, IEnumerable<BpfProgram> allPrograms, List<BpfMap> maps)
    {
        var bySection = allPrograms.GroupBy(p => p.SectionIndex).ToDictionary(g => g.Key, g => g.OrderBy(p => p.SectionInsnOffset).ToList());
        var result = bySection.Values.SelectMany(v => v).ToDictionary(p => p, _ => new List<Relocation>());
        var mapsSection = elf.FindSection(".maps");
        foreach (var relSec in elf.Sections.Where(s => s.Type == ElfConstants.ShtRel))
        {
            if (!bySection.TryGetValue((int)relSec.Info, out var progsInSection))
                continue; // relocations of .BTF, debug info, .maps and struct_ops sections are handled elsewhere
            var target = elf.Sections[(int)relSec.Info];
            var relocations = elf.ReadRelocations(relSec);
            for (int i = 0; i < relocations.Count; i++)
            {
                var rel = relocations[i];
                // Bounded before narrowing: a huge r_offset must not wrap into some program's range.
                if (rel.Offset >= target.Size)
                    throw LibbpfError.ForObject(elf.Name, $"sec '{target.Name}': relocation at offset {rel.Offset} is outside any program", Errno.EINVAL);
                int secInsn = (int)(rel.Offset / Instruction.Size);
                var prog = progsInSection.LastOrDefault(p => p.SectionInsnOffset <= secInsn);
                if (prog is null || secInsn - prog.SectionInsnOffset >= prog.Instructions.Length)
                {
                    // Code without a function symbol: in a statically linked object, the losing copy of a __weak function.
                    LibbpfLog.Debug($"sec '{relSec.Name}': relo #{i}: couldn't find program in section '{target.Name}' for insn #{secInsn}, probably overridden weak function, skipping...");
                    continue;
                }
                result[prog].Add(RecordRelocation(elf, externs, prog, secInsn - prog.SectionInsnOffset, rel, mapsSection, maps));
            }
        }
        return result;
    }

    private static Relocation RecordRelocation(ElfFile elf, ObjectExterns externs, BpfProgram prog, int insnIdx, ElfRelocation rel, ElfSection? mapsSection, List<BpfMap> maps)
    {
        if ((uint)rel.SymbolIndex >= (uint)elf.Symbols.Count)
            throw LibbpfError.ForObject(elf.Name, $"prog '{prog.Name}': relo #{insnIdx} refers to missing symbol #{rel.SymbolIndex}", Errno.EINVAL);
        var sym = elf.Symbols[rel.SymbolIndex];
        if (sym.IsUndefined)
        {
            // A Kconfig ld_imm64 is an ordinary .kconfig map-value relocation; ksym loads and kfunc calls are
            // applied when the program is linked, after resolution (libbpf's RELO_EXTERN_LD64 / RELO_EXTERN_CALL).
            var (ext, index) = ExternRelocations.Find(externs, elf, prog, insnIdx, rel.SymbolIndex);
            return ext.Kind == ExternKind.Kconfig && prog.Instructions[insnIdx].IsLdImm64
                ? new Relocation(insnIdx, RelocationKind.MapValue, ext.Name, ext.KconfigOffset, -1, externs.KconfigMap)
                : new Relocation(insnIdx, RelocationKind.Extern, ext.Name, index);
        }
        ref var insn = ref prog.Instructions[insnIdx];
        string symName = sym.Name.Length > 0 ? sym.Name : sym.SectionIndex < elf.Sections.Count ? elf.Sections[sym.SectionIndex].Name : "?";
        var symSection = sym.SectionIndex < elf.Sections.Count ? elf.Sections[sym.SectionIndex] : null;

        if (insn.IsSubprogramCall)
        {
            if (symSection is null || !symSection.IsExecutable)
                throw LibbpfError.ForObject(elf.Name, $"prog '{prog.Name}': bad call relo against '{symName}' in section '{symSection?.Name}'", Errno.ENOTSUP);
            if (sym.Value % Instruction.Size != 0)
                throw LibbpfError.ForObject(elf.Name, $"prog '{prog.Name}': bad call relo against '{symName}' at offset {sym.Value}", Errno.EINVAL);
            return new Relocation(insnIdx, RelocationKind.Call, symName, (long)sym.Value, sym.SectionIndex);
        }
        if (!insn.IsLdImm64)
            throw LibbpfError.ForObject(elf.Name, $"prog '{prog.Name}': invalid relo against '{symName}' for insns[{insnIdx}].code 0x{insn.Code:x}", Errno.EINVAL);
        if (insnIdx + 1 >= prog.Instructions.Length)
            throw LibbpfError.ForObject(elf.Name, $"prog '{prog.Name}': ld_imm64 at insns[{insnIdx}] is truncated", Errno.EINVAL);
        // A function (or the section symbol of code) names a subprogram; data symbols in code sections go to the map path.
        if (symSection is not null && symSection.IsExecutable && sym.Type is ElfConstants.SttFunc or ElfConstants.SttSection)
        {
            insn.SrcReg = Instruction.PseudoFunc;
            return new Relocation(insnIdx, RelocationKind.SubprogramAddress, symName, (long)sym.Value, sym.SectionIndex);
        }
        if (mapsSection is not null && sym.SectionIndex == mapsSection.Index)
        {
            var map = maps.FirstOrDefault(m => !m.IsInternal && m.ElfSectionIndex == mapsSection.Index && m.ElfSectionOffset == (long)sym.Value)
                ?? throw LibbpfError.ForObject(elf.Name, $"prog '{prog.Name}': map relo failed to find map for section '{mapsSection.Name}', off {sym.Value}", Errno.LibbpfReloc);
            return new Relocation(insnIdx, RelocationKind.MapFd, symName, (long)sym.Value, sym.SectionIndex, map);
        }
        var dataMap = maps.FirstOrDefault(m => m.IsInternal && m.ElfSectionIndex == sym.SectionIndex);
        if (dataMap is null)
            throw LibbpfError.ForObject(elf.Name, $"prog '{prog.Name}': bad map relo against '{symName}' in section '{symSection?.Name}'", Errno.LibbpfReloc);
        return new Relocation(insnIdx, RelocationKind.MapValue, symName, (long)sym.Value, sym.SectionIndex, dataMap);
    }

    /// <summary>
    /// A memfd whose number stands in for the map until the map exists (libbpf's placeholder fd);
    /// map creation later moves the real map onto this number.
    /// </summary>
    private static FileDescriptor CreatePlaceholderFd(string mapName)
    {
        int fd = Native.MemfdCreate("libbpf-placeholder-fd", Native.MfdCloexec | Native.MfdNoexecSeal);
        if (fd < 0 && Native.LastErrno == Errno.EINVAL)
            fd = Native.MemfdCreate("libbpf-placeholder-fd", Native.MfdCloexec);
        if (fd < 0)
            throw new BpfSyscallException($"map '{mapName}': placeholder memfd_create", Native.LastErrno);
        return new FileDescriptor(fd);
    }}
