using BpfLoader.Diagnostics;
using BpfLoader.Kernel;

namespace BpfLoader.Core;

/// <summary>
/// libbpf's <c>bpf_core_patch_insn</c>: writes a resolved CO-RE value into the instruction (ALU immediate,
/// LDX/ST/STX offset and access size, or the 64-bit immediate of ld_imm64), after checking that the
/// instruction holds what the compiler computed locally; or poisons it into an invalid helper call that the
/// verifier rejects only if it is reachable.
/// </summary>
internal static class CoreInsnPatcher
{
    private const byte SrcX = 0x08;

    public static int Patch(string progName, Instruction[] insns, int idx, int reloIdx, in CoreReloResult res)
    {
        ref var insn = ref insns[idx];
        if (res.Poison)
            return PoisonAt(progName, insns, idx, reloIdx);

        ulong orig = res.OrigValue, value = res.NewValue;
        switch (insn.Class)
        {
            case Instruction.ClassAlu or Instruction.ClassAlu64:
            {
                if ((insn.Code & SrcX) != 0)
                    return -Errno.EINVAL;
                if (res.Validate && (ulong)(long)insn.Imm != orig)
                {
                    LibbpfLog.Warn($"prog '{progName}': relo #{reloIdx}: unexpected insn #{idx} (ALU/ALU64) value: got {(uint)insn.Imm}, exp {orig} -> {value}");
                    return -Errno.EINVAL;
                }
                uint before = (uint)insn.Imm;
                insn.Imm = (int)value;
                LibbpfLog.Debug($"prog '{progName}': relo #{reloIdx}: patched insn #{idx} (ALU/ALU64) imm {before} -> {value}");
                return 0;
            }
            case Instruction.ClassLdx or Instruction.ClassSt or Instruction.ClassStx:
            {
                if (res.Validate && (ulong)(long)insn.Offset != orig)
                {
                    LibbpfLog.Warn($"prog '{progName}': relo #{reloIdx}: unexpected insn #{idx} (LDX/ST/STX) value: got {(uint)(int)insn.Offset}, exp {orig} -> {value}");
                    return -Errno.EINVAL;
                }
                if (value > (ulong)short.MaxValue)
                {
                    LibbpfLog.Warn($"prog '{progName}': relo #{reloIdx}: insn #{idx} (LDX/ST/STX) value too big: {value}");
                    return -Errno.ERANGE;
                }
                if (res.FailMemSizeAdjust)
                {
                    LibbpfLog.Warn($"prog '{progName}': relo #{reloIdx}: insn #{idx} (LDX/ST/STX) accesses field incorrectly. Make sure you are accessing pointers, unsigned integers, or fields of matching type and size.");
                    return PoisonAt(progName, insns, idx, reloIdx);
                }
                int beforeOff = insn.Offset;
                insn.Offset = (short)value;
                LibbpfLog.Debug($"prog '{progName}': relo #{reloIdx}: patched insn #{idx} (LDX/ST/STX) off {(uint)beforeOff} -> {value}");
                if (res.NewSize != res.OrigSize)
                {
                    int bytes = SizeBytes(insn.Code);
                    if (bytes != (int)res.OrigSize)
                    {
                        LibbpfLog.Warn($"prog '{progName}': relo #{reloIdx}: insn #{idx} (LDX/ST/STX) unexpected mem size: got {bytes}, exp {res.OrigSize}");
                        return -Errno.EINVAL;
                    }
                    int sizeBits = SizeCode(res.NewSize);
                    if (sizeBits < 0)
                    {
                        LibbpfLog.Warn($"prog '{progName}': relo #{reloIdx}: insn #{idx} (LDX/ST/STX) invalid new mem size: {res.NewSize}");
                        return -Errno.EINVAL;
                    }
                    insn.Code = (byte)((insn.Code & 0xe0) | sizeBits | insn.Class);   // keep mode and class, replace size
                    LibbpfLog.Debug($"prog '{progName}': relo #{reloIdx}: patched insn #{idx} (LDX/ST/STX) mem_sz {res.OrigSize} -> {res.NewSize}");
                }
                return 0;
            }
            case Instruction.ClassLd:
            {
                if (!insn.IsLdImm64 || idx + 1 >= insns.Length || insn.SrcReg != 0 || insn.Offset != 0
                    || insns[idx + 1].Code != 0 || insns[idx + 1].Regs != 0 || insns[idx + 1].Offset != 0)
                {
                    LibbpfLog.Warn($"prog '{progName}': relo #{reloIdx}: insn #{idx} (LDIMM64) has unexpected form");
                    return -Errno.EINVAL;
                }
                ulong imm = (uint)insn.Imm | ((ulong)(uint)insns[idx + 1].Imm << 32);
                if (res.Validate && imm != orig)
                {
                    LibbpfLog.Warn($"prog '{progName}': relo #{reloIdx}: unexpected insn #{idx} (LDIMM64) value: got {imm}, exp {orig} -> {value}");
                    return -Errno.EINVAL;
                }
                insn.Imm = (int)(uint)value;
                insns[idx + 1].Imm = (int)(uint)(value >> 32);
                LibbpfLog.Debug($"prog '{progName}': relo #{reloIdx}: patched insn #{idx} (LDIMM64) imm64 {imm} -> {value}");
                return 0;
            }
            default:
                LibbpfLog.Warn($"prog '{progName}': relo #{reloIdx}: trying to relocate unrecognized insn #{idx}, code:0x{insn.Code:x}, src:0x{insn.SrcReg:x}, dst:0x{insn.DstReg:x}, off:0x{(ushort)insn.Offset:x}, imm:0x{insn.Imm:x}");
                return -Errno.EINVAL;
        }
    }

    private static int PoisonAt(string progName, Instruction[] insns, int idx, int reloIdx)
    {
        // The second half of an ld_imm64 is poisoned too, so the verifier does not report "unknown opcode 00".
        if (insns[idx].IsLdImm64 && idx + 1 < insns.Length)
            Poison(progName, reloIdx, idx + 1, ref insns[idx + 1]);
        Poison(progName, reloIdx, idx, ref insns[idx]);
        return 0;
    }

    private static void Poison(string progName, int reloIdx, int idx, ref Instruction insn)
    {
        LibbpfLog.Debug($"prog '{progName}': relo #{reloIdx}: substituting insn #{idx} w/ invalid insn");
        insn = PoisonedCall.With(PoisonedCall.CoreRelo);
    }

    // BPF_W=0x00 (4), BPF_H=0x08 (2), BPF_B=0x10 (1), BPF_DW=0x18 (8).
    private static int SizeBytes(byte code) => (code & 0x18) switch
    {
        0x00 => 4,
        0x08 => 2,
        0x10 => 1,
        _ => 8,
    };

    private static int SizeCode(uint bytes) => bytes switch
    {
        1 => 0x10,
        2 => 0x08,
        4 => 0x00,
        8 => 0x18,
        _ => -1,
    };
}
