using BpfLoader.Diagnostics;
using BpfLoader.Elf;
using BpfLoader.Objects;
using BpfLoader.Programs;

namespace BpfLoader.Externs;

/// <summary>
/// Relocations against externs. Recorded at open: a Kconfig ld_imm64 becomes an ordinary .kconfig map-value
/// relocation; ksym loads and kfunc calls become <see cref="RelocationKind.Extern"/> records applied when the
/// program is linked (after resolution), as libbpf's RELO_EXTERN_LD64 / RELO_EXTERN_CALL.
/// </summary>
internal static class ExternRelocations
{
    public static Relocation Record(ElfFile elf, BpfProgram prog, int insnIdx, int symbolIndex)
    {
        var externs = ObjectExterns.Of(elf);
        string symName = elf.Symbols[symbolIndex].Name;
        var ext = externs.BySymbol(symbolIndex);
        if (ext is null)
            throw LibbpfError.ForObject(elf.Name, $"prog '{prog.Name}': extern relo failed to find extern for '{symName}' ({symbolIndex})", Errno.EINVAL);
        int index = externs.Externs.IndexOf(ext);
        LibbpfLog.Debug($"prog '{prog.Name}': found extern #{index} '{ext.Name}' (sym {symbolIndex}) for insn #{insnIdx}");
        var insn = prog.Instructions[insnIdx];
        if (!insn.IsCall && !insn.IsLdImm64)
            throw LibbpfError.ForObject(elf.Name, $"prog '{prog.Name}': invalid relo against '{symName}' for insns[{insnIdx}].code 0x{insn.Code:x}", Errno.EINVAL);
        if (insn.IsLdImm64 && insnIdx + 1 >= prog.Instructions.Length)
            throw LibbpfError.ForObject(elf.Name, $"prog '{prog.Name}': ld_imm64 at insns[{insnIdx}] is truncated", Errno.EINVAL);
        if (ext.Kind == ExternKind.Kconfig && insn.IsLdImm64)
            return new Relocation(insnIdx, RelocationKind.MapValue, ext.Name, ext.KconfigOffset, -1, externs.KconfigMap);
        return new Relocation(insnIdx, RelocationKind.Extern, ext.Name, index);
    }

    /// <summary>Writes the resolved extern into the linked program at <paramref name="idx"/>.</summary>
    public static void Apply(BpfObject obj, List<Instruction> code, int idx, int externIndex, string progName, int reloIdx)
    {
        var ext = ObjectExterns.Of(obj).Externs[externIndex];
        var insn = code[idx];
        if (insn.IsCall)
        {
            if (ext.IsSet)
            {
                insn.SrcReg = Instruction.PseudoKfuncCall;
                insn.Imm = ext.KernelBtfId;
                insn.Offset = (short)ext.BtfFdIndex;
            }
            else
            {
                // An unresolved weak kfunc: an invalid helper call the verifier only reports if reachable.
                LibbpfLog.Debug($"prog '{progName}': relo #{reloIdx}: poisoning insn #{idx} that calls kfunc '{ext.Name}'");
                insn = new Instruction { Code = Instruction.Call, Imm = Core.VerifierLogFixup.KfuncPoisonBase + externIndex };
            }
            code[idx] = insn;
            return;
        }
        var next = code[idx + 1];
        if (ext.KsymTypeId != 0 && ext.IsSet)
        {
            insn.SrcReg = Instruction.PseudoBtfId;
            insn.Imm = ext.KernelBtfId;
            next.Imm = ext.KernelBtfObjFd;
        }
        else
        {
            insn.Imm = (int)(uint)ext.Address;
            next.Imm = (int)(uint)(ext.Address >> 32);
        }
        code[idx] = insn;
        code[idx + 1] = next;
    }}
