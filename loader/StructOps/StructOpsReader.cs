using BpfLoader.Diagnostics;
using BpfLoader.Elf;
using BpfLoader.Kernel;
using BpfLoader.Maps;
using BpfLoader.Objects;
using BpfLoader.Programs;

namespace BpfLoader.StructOps;

using Btf = BpfLoader.Btf.Btf;
using BtfKind = BpfLoader.Btf.BtfKind;

/// <summary>
/// Open time (libbpf's <c>init_struct_ops_maps</c> and <c>bpf_object__collect_st_ops_relos</c>): every variable of
/// a <c>.struct_ops</c>, <c>.struct_ops.link</c>, <c>?.struct_ops</c> or <c>?.struct_ops.link</c> section becomes a
/// STRUCT_OPS map whose shadow holds the variable's bytes; the section's relocations put programs into the
/// function-pointer slots.
/// </summary>
internal static class StructOpsReader
{
    public static bool IsStructOpsSection(string name)
        => name is ".struct_ops" or ".struct_ops.link" or "?.struct_ops" or "?.struct_ops.link";

    public static List<BpfMap> Read(ElfFile elf, Btf? btf, IReadOnlyList<BpfProgram> programs)
    {
        var maps = new List<BpfMap>();
        foreach (var sec in elf.Sections.Where(s => IsStructOpsSection(s.Name)))
        {
            var sectionMaps = ReadSection(elf, btf, sec);
            ApplyRelocations(elf, btf!, sec, sectionMaps, programs);
            maps.AddRange(sectionMaps);
        }
        return maps;
    }

    private static List<BpfMap> ReadSection(ElfFile elf, Btf? btf, ElfSection sec)
    {
        int datasecId = btf?.FindByName(sec.Name, BtfKind.Datasec) ?? -1;
        if (btf is null || datasecId <= 0)
            throw LibbpfError.ForObject(elf.Name, $"struct_ops init: DATASEC {sec.Name} not found", Errno.EINVAL);
        bool autocreate = !sec.Name.StartsWith('?');
        bool link = sec.Name.EndsWith(".link", StringComparison.Ordinal);
        var result = new List<BpfMap>();
        foreach (var vsi in btf[datasecId].DatasecVars)
        {
            if (!btf.TryGetType(vsi.Type, out var variable) || variable.Kind != BtfKind.Var)
                throw LibbpfError.ForObject(elf.Name, $"struct_ops init: Cannot resolve var type_id {vsi.Type} in DATASEC {sec.Name}", Errno.EINVAL);
            int typeId = btf.SkipModsAndTypedefs(variable.Type);
            var type = btf[typeId];
            if (type.Name.Length == 0)
                throw LibbpfError.ForObject(elf.Name, "struct_ops init: anonymous type is not supported", Errno.EOPNOTSUPP);
            if (type.Kind != BtfKind.Struct)
                throw LibbpfError.ForObject(elf.Name, $"struct_ops init: {type.Name} is not a struct", Errno.EINVAL);
            // clang leaves DATASEC offsets at 0 in objects; the symbol has the real one.
            var sym = elf.Symbols.FirstOrDefault(s => s.SectionIndex == sec.Index && s.Name == variable.Name && s.Type == ElfConstants.SttObject);
            ulong offset = sym?.Value ?? vsi.Offset;
            // Written so that an offset near 2^64 cannot wrap around and pass; a NOBITS section has no bytes to
            // bound it, so its size is capped like a global data section's.
            if (offset > sec.Size || type.Size > sec.Size - offset || (sec.IsNoBits && sec.Size > ObjectReader.MaxDataSectionSize))
                throw LibbpfError.ForObject(elf.Name, $"struct_ops init: var {variable.Name} is beyond the end of DATASEC {sec.Name}", Errno.EINVAL);

            var map = new BpfMap(variable.Name, BpfMapType.StructOps, 4, type.Size, 1, link ? BpfFlags.Link : 0)
            {
                SectionName = sec.Name,
                ElfSectionIndex = sec.Index,
                ElfSectionOffset = (long)offset,
            };
            map.AutoCreate = autocreate;
            var data = sec.IsNoBits ? new byte[type.Size] : sec.Data.Slice((int)offset, (int)type.Size).ToArray();
            map.StructOps = new StructOpsShadow(map, type.Name, typeId, sec.Name, data, ReadMembers(elf, btf, typeId));
            LibbpfLog.Debug($"struct_ops init: struct {type.Name}(type_id={typeId}) {variable.Name} found at offset {offset}");
            result.Add(map);
        }
        return result;
    }

    private static List<StructOpsMember> ReadMembers(ElfFile elf, Btf btf, int typeId)
    {
        var members = new List<StructOpsMember>();
        int index = 0;
        foreach (var m in btf[typeId].Members)
        {
            var resolved = btf[btf.SkipModsAndTypedefs(m.Type)];
            bool funcPtr = resolved.Kind == BtfKind.Ptr && btf[btf.SkipModsAndTypedefs(resolved.Type)].Kind == BtfKind.FuncProto;
            long size = Math.Max(btf.ResolveSize(m.Type), 0);
            long offset = m.BitOffset / 8;
            uint structSize = btf[typeId].Size;
            // A member must lie inside its struct: slot writes slice the shadow with these bounds. A bitfield's
            // storage unit may legitimately run past the end; only its bytes inside the struct are kept.
            if (m.BitfieldSize != 0 && offset < structSize)
                size = Math.Min(size, structSize - offset);
            if (offset + size > structSize)
                throw LibbpfError.ForObject(elf.Name, $"struct_ops init: member '{m.Name}' of {btf[typeId].Name} (offset {offset}, size {size}) lies outside the struct ({structSize} bytes)", Errno.EINVAL);
            members.Add(new StructOpsMember(index++, m.Name, (int)offset, (int)size, funcPtr, m.BitfieldSize != 0, m.Type));
        }
        return members;
    }

    private static void ApplyRelocations(ElfFile elf, Btf btf, ElfSection sec, List<BpfMap> maps, IReadOnlyList<BpfProgram> programs)
    {
        var relSec = elf.Sections.FirstOrDefault(s => s.Type == ElfConstants.ShtRel && s.Info == sec.Index);
        if (relSec is null)
            return;
        foreach (var rel in elf.ReadRelocations(relSec))
        {
            var sym = elf.Symbols[rel.SymbolIndex];
            var map = maps.LastOrDefault(m => (ulong)m.ElfSectionOffset <= rel.Offset && rel.Offset < (ulong)m.ElfSectionOffset + m.ValueSize)
                ?? throw LibbpfError.ForObject(elf.Name, $"struct_ops reloc: cannot find map at rel->r_offset {rel.Offset}", Errno.EINVAL);
            var shadow = map.StructOps!;
            int moff = (int)(rel.Offset - (ulong)map.ElfSectionOffset);
            var member = shadow.Members.FirstOrDefault(m => m.Offset == moff)
                ?? throw LibbpfError.ForObject(elf.Name, $"struct_ops reloc {map.Name}: cannot find member at moff {moff}", Errno.EINVAL);
            if (!member.IsFunctionPointer)
                throw LibbpfError.ForObject(elf.Name, $"struct_ops reloc {map.Name}: cannot relocate non func ptr {member.Name}", Errno.EINVAL);
            if (sym.SectionIndex >= elf.Sections.Count || !elf.Sections[sym.SectionIndex].IsExecutable)
                throw LibbpfError.ForObject(elf.Name, $"struct_ops reloc {map.Name}: rel->r_offset {rel.Offset} shdr_idx {sym.SectionIndex} unsupported non-static function", Errno.EINVAL);
            // The slot names a function symbol or its section plus an addend stored in the data.
            if (sym.Type == ElfConstants.SttSection && (sec.IsNoBits || rel.Offset + sizeof(ulong) > (ulong)sec.Data.Length))
                throw LibbpfError.ForObject(elf.Name, $"struct_ops reloc {map.Name}: invalid target program offset at rel->r_offset {rel.Offset}", Errno.EINVAL);
            ulong target = sym.Type == ElfConstants.SttSection ? BitConverter.ToUInt64(sec.Data.Span[(int)rel.Offset..]) : sym.Value;
            if (target % Instruction.Size != 0)
                throw LibbpfError.ForObject(elf.Name, $"struct_ops reloc {map.Name}: invalid target program offset {target}", Errno.EINVAL);
            var prog = programs.FirstOrDefault(p => p.SectionIndex == sym.SectionIndex && p.SectionInsnOffset == (int)(target / Instruction.Size))
                ?? throw LibbpfError.ForObject(elf.Name, $"struct_ops reloc {map.Name}: cannot find prog at shdr_idx {sym.SectionIndex} to relocate func ptr {member.Name}", Errno.EINVAL);
            if (prog.Type != BpfProgType.StructOps)
                throw LibbpfError.ForObject(elf.Name, $"struct_ops reloc {map.Name}: prog {prog.Name} is not struct_ops BPF program", Errno.EINVAL);
            shadow.InitSlot(member.Index, prog);
            shadow.Data.Slice(member.Offset, member.Size).Clear();
        }
    }}
