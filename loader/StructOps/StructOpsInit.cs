using BpfLoader.Diagnostics;
using BpfLoader.Kernel;
using BpfLoader.Maps;
using BpfLoader.Objects;
using BpfLoader.Programs;

namespace BpfLoader.StructOps;

using Btf = BpfLoader.Btf.Btf;
using BtfKind = BpfLoader.Btf.BtfKind;

/// <summary>
/// Load time for struct_ops maps (libbpf's <c>bpf_map__init_kern_struct_ops</c> and the autoload rule): find the
/// kernel type behind each autocreated map's local type, copy members by name into the kernel value, tie
/// each slot's program to the kernel type and member, then let struct_ops programs' autoload follow the maps.
/// </summary>
internal static class StructOpsInit
{
    public static void InitKernelMaps(BpfObject obj)
    {
        foreach (var map in obj.Maps.Where(m => m.StructOps is not null && m.AutoCreate))
            InitKernelMap(obj, map, map.StructOps!);
    }

    /// <summary>
    /// libbpf 1.4's rule: a struct_ops program referenced by any map slot is loaded iff some referencing map is
    /// created (created maps count their slots after the shadow edits, others their ELF slots).
    /// Unreferenced programs keep their autoload.
    /// </summary>
    public static void SyncAutoload(BpfObject obj)
    {
        var shadows = obj.Maps.Where(m => m.StructOps is not null).Select(m => m.StructOps!).ToList();
        foreach (var prog in obj.Programs.Where(p => p.Type == BpfProgType.StructOps))
        {
            int references = 0;
            bool wanted = false;
            foreach (var shadow in shadows)
            {
                bool created = shadow.Map.AutoCreate;
                for (int i = 0; i < shadow.Members.Count; i++)
                {
                    var slot = created ? shadow.GetProgram(i) : shadow.ElfPrograms[i];
                    if (slot != prog)
                        continue;
                    references++;
                    wanted |= created;
                }
            }
            if (references > 0)
                prog.SetAutoLoadInternal(wanted);
        }
    }

    private static void InitKernelMap(BpfObject obj, BpfMap map, StructOpsShadow shadow)
    {
        var localBtf = obj.Btf!;
        string tname = EssentialName(shadow.LocalTypeName);
        var (btf, module, valueTypeId) = FindValueType(tname);
        int kernTypeId = btf.FindByName(tname, BtfKind.Struct);
        if (kernTypeId <= 0)
            throw LibbpfError.ForObject(map.Owner?.Name, $"struct_ops init_kern: struct {tname} is not found in kernel BTF", Errno.ESRCH);
        var valueType = btf[valueTypeId];
        int dataOffset = -1;
        foreach (var m in valueType.Members)
        {
            if (btf.SkipModsAndTypedefs(m.Type) == kernTypeId)
            {
                dataOffset = (int)(m.BitOffset / 8);
                break;
            }
        }
        if (dataOffset < 0)
            throw LibbpfError.ForObject(map.Owner?.Name, $"struct_ops init_kern: struct {tname} data is not found in struct {valueType.Name}", Errno.EINVAL);
        LibbpfLog.Debug($"struct_ops init_kern {map.Name}: type_id:{shadow.LocalTypeId} kern_type_id:{kernTypeId} kern_vtype_id:{valueTypeId}");

        var kernel = new StructOpsKernelValue
        {
            KernelTypeId = kernTypeId,
            KernelValueTypeId = valueTypeId,
            Module = module,
            DataOffset = dataOffset,
            Value = new byte[valueType.Size],
        };
        var kernMembers = btf[kernTypeId].Members.ToList();
        foreach (var member in shadow.Members)
        {
            if (member.Size <= 0)
                throw LibbpfError.ForObject(map.Owner?.Name, $"struct_ops init_kern {map.Name}: failed to resolve the size of member {member.Name}", Errno.EINVAL);
            int kernIndex = kernMembers.FindIndex(k => k.Name == member.Name);
            if (kernIndex < 0)
            {
                if (!shadow.IsZero(member))
                    throw LibbpfError.ForObject(map.Owner?.Name, $"struct_ops init_kern {map.Name}: Cannot find member {member.Name} in kernel BTF", Errno.EOPNOTSUPP);
                // Zero-valued members the kernel does not know are skipped; a program the ELF put there is not loaded.
                if (member.IsFunctionPointer && shadow.ElfPrograms[member.Index] is { } dropped)
                    dropped.SetAutoLoadInternal(false);
                shadow.ClearSlot(member.Index);
                LibbpfLog.Info($"struct_ops {map.Name}: member {member.Name} not found in kernel, skipping it as it's set to zero");
                continue;
            }
            var kernMember = kernMembers[kernIndex];
            if (member.IsBitfield || kernMember.BitfieldSize != 0)
                throw LibbpfError.ForObject(map.Owner?.Name, $"struct_ops init_kern {map.Name}: bitfield {member.Name} is not supported", Errno.EOPNOTSUPP);
            var localKind = localBtf[localBtf.SkipModsAndTypedefs(member.TypeId)].Kind;
            var kernKind = btf[btf.SkipModsAndTypedefs(kernMember.Type)].Kind;
            if (localKind != kernKind)
                throw LibbpfError.ForObject(map.Owner?.Name, $"struct_ops init_kern {map.Name}: Unmatched member type {member.Name} {(int)localKind} != {(int)kernKind}(kernel)", Errno.EOPNOTSUPP);
            int kernOffset = dataOffset + (int)(kernMember.BitOffset / 8);
            if (localKind == BtfKind.Ptr)
                InitFunctionPointer(map, shadow, member, btf, module, kernTypeId, kernIndex, kernMember.Type, kernOffset, kernel);
            else
                CopyScalar(map, shadow, member, btf, kernMember.Type, kernOffset, kernel);
        }
        map.ValueSize = valueType.Size;
        map.BtfVmlinuxValueTypeId = valueTypeId;
        map.ValueTypeBtfObjFd = module?.Fd.Value ?? -1;
        shadow.Kernel = kernel;
    }

    private static void InitFunctionPointer(BpfMap map, StructOpsShadow shadow, StructOpsMember member, Btf btf, ModuleBtf? module,
        int kernTypeId, int kernIndex, int kernMemberType, int kernOffset, StructOpsKernelValue kernel)
    {
        var prog = shadow.GetProgram(member.Index);
        var declared = shadow.ElfPrograms[member.Index];
        if (declared is not null && declared != prog)
            declared.SetAutoLoadInternal(false);
        if (prog is null)
            return;
        if (prog.Type != BpfProgType.StructOps || prog.Owner != map.Owner)
            throw LibbpfError.ForObject(map.Owner?.Name, $"struct_ops init_kern {map.Name}: member {member.Name} is not a struct_ops program", Errno.EOPNOTSUPP);
        var kernPtr = btf[btf.SkipModsAndTypedefs(kernMemberType)];
        if (kernPtr.Kind != BtfKind.Ptr || btf[btf.SkipModsAndTypedefs(kernPtr.Type)].Kind != BtfKind.FuncProto)
            throw LibbpfError.ForObject(map.Owner?.Name, $"struct_ops init_kern {map.Name}: kernel member {member.Name} is not a func ptr", Errno.EOPNOTSUPP);
        if (module is not null)
            prog.AttachBtfObjFd = module.Fd.Value;
        if (prog.AttachBtfId != 0 && prog.AttachBtfId != kernTypeId)
            throw LibbpfError.ForObject(map.Owner?.Name, $"struct_ops init_kern {map.Name} func ptr {member.Name}: invalid reuse of prog {prog.Name} in sec {prog.SectionName} with type {(int)prog.Type}: attach_btf_id {prog.AttachBtfId} != kern_type_id {kernTypeId}", Errno.EINVAL);
        if (prog.AttachBtfId != 0 && (int)prog.ExpectedAttachType != kernIndex)
            throw LibbpfError.ForObject(map.Owner?.Name, $"struct_ops init_kern {map.Name} func ptr {member.Name}: invalid reuse of prog {prog.Name} in sec {prog.SectionName} with type {(int)prog.Type}: expected_attach_type {(int)prog.ExpectedAttachType} != kern_member_idx {kernIndex}", Errno.EINVAL);
        prog.AttachBtfId = kernTypeId;
        prog.ExpectedAttachType = (BpfAttachType)kernIndex;
        kernel.ProgramSlots.Add((kernOffset, prog));
        LibbpfLog.Debug($"struct_ops init_kern {map.Name}: func ptr {member.Name} is set to prog {prog.Name} from data(+{member.Offset}) to kern_data(+{kernOffset})");
    }

    private static void CopyScalar(BpfMap map, StructOpsShadow shadow, StructOpsMember member, Btf btf, int kernMemberType, int kernOffset, StructOpsKernelValue kernel)
    {
        long kernSize = btf.ResolveSize(kernMemberType);
        if (kernSize != member.Size)
            throw LibbpfError.ForObject(map.Owner?.Name, $"struct_ops init_kern {map.Name}: Error in size of member {member.Name}: {member.Size} != {kernSize}(kernel)", Errno.EOPNOTSUPP);
        shadow.Data.Slice(member.Offset, member.Size).CopyTo(kernel.Value.AsSpan(kernOffset));
        LibbpfLog.Debug($"struct_ops init_kern {map.Name}: copy {member.Name} {member.Size} bytes from data(+{member.Offset}) to kern_data(+{kernOffset})");
    }

    /// <summary>libbpf 1.7: the value type <c>bpf_struct_ops_&lt;name&gt;</c> is looked up first, in vmlinux then in each module.</summary>
    private static (Btf Btf, ModuleBtf? Module, int ValueTypeId) FindValueType(string tname)
    {
        string valueName = "bpf_struct_ops_" + tname;
        int id = Btf.KernelVmlinux.FindByName(valueName, BtfKind.Struct);
        if (id > 0)
            return (Btf.KernelVmlinux, null, id);
        foreach (var module in KernelBtfs.Modules())
        {
            id = module.Btf.FindOwnByName(valueName, BtfKind.Struct);
            if (id > 0)
                return (module.Btf, module, id);
        }
        throw LibbpfError.Log($"struct_ops init_kern: struct {valueName} is not found in kernel BTF", Errno.ESRCH);
    }

    /// <summary>libbpf's <c>bpf_core_essential_name_len</c>: <c>X___Y</c> → <c>X</c> at the last such separator.</summary>
    public static string EssentialName(string name)
    {
        for (int i = name.Length - 5; i >= 0; i--)
        {
            if (name[i] != '_' && name[i + 1] == '_' && name[i + 2] == '_' && name[i + 3] == '_' && name[i + 4] != '_')
                return name[..(i + 1)];
        }
        return name;
    }}
