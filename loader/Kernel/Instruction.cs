using System.Runtime.InteropServices;

namespace BpfLoader.Kernel;

/// <summary>One 8-byte BPF instruction (<c>struct bpf_insn</c>), as stored in the ELF and sent to the kernel.</summary>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
public struct Instruction
{
    /// <summary>The opcode: class, operation or size/mode, and source bits (<c>code</c>).</summary>
    public byte Code;
    /// <summary>dst_reg in the low nibble, src_reg in the high nibble.</summary>
    public byte Regs;
    /// <summary>The signed 16-bit offset (<c>off</c>): jump distance, memory offset or, in a call, the kfunc's module BTF fd index.</summary>
    public short Offset;
    /// <summary>The signed 32-bit immediate (<c>imm</c>); an <c>ld_imm64</c> takes the high half from the next instruction.</summary>
    public int Imm;

    /// <summary>The size of one instruction in bytes.</summary>
    public const int Size = 8;

    // Opcode pieces used by the relocator.
    /// <summary>Instruction classes (<c>BPF_LD</c>, <c>BPF_LDX</c>, <c>BPF_ST</c>, <c>BPF_STX</c>, <c>BPF_ALU</c>, <c>BPF_JMP</c>, <c>BPF_JMP32</c>, <c>BPF_ALU64</c>).</summary>
    public const byte ClassLd = 0x00, ClassLdx = 0x01, ClassSt = 0x02, ClassStx = 0x03, ClassAlu = 0x04, ClassJmp = 0x05,
        ClassJmp32 = 0x06, ClassAlu64 = 0x07;
    /// <summary>Opcode pieces: <c>BPF_CALL</c>, <c>BPF_EXIT</c>, <c>BPF_MOV</c>, <c>BPF_K</c>, <c>BPF_IMM</c>, <c>BPF_DW</c>.</summary>
    public const byte OpCall = 0x80, OpExit = 0x90, OpMov = 0xb0, SourceImm = 0x00, ModeImm = 0x00, SizeDw = 0x18;
    /// <summary>The opcode of the 16-byte 64-bit immediate load (<c>BPF_LD | BPF_IMM | BPF_DW</c>).</summary>
    public const byte LdImm64 = ClassLd | ModeImm | SizeDw; // 0x18
    /// <summary>The opcode of a call (<c>BPF_JMP | BPF_CALL</c>): a helper, a BPF function or a kfunc by its source register.</summary>
    public const byte Call = ClassJmp | OpCall;              // 0x85
    /// <summary>The opcode of <c>exit</c>.</summary>
    public const byte Exit = ClassJmp | OpExit;              // 0x95
    /// <summary>The opcode of <c>dst = imm</c> on 64 bits.</summary>
    public const byte MovImm64 = ClassAlu64 | OpMov | SourceImm; // 0xb7: dst = imm

    /// <summary>Pseudo source registers that give an instruction a loader-defined meaning.</summary>
    public const byte PseudoMapFd = 1, PseudoMapValue = 2, PseudoBtfId = 3, PseudoFunc = 4, PseudoMapIdx = 5, PseudoMapIdxValue = 6;
    /// <summary>Source registers of a call: a BPF function (<c>BPF_PSEUDO_CALL</c>) or a kernel function (<c>BPF_PSEUDO_KFUNC_CALL</c>).</summary>
    public const byte PseudoCall = 1, PseudoKfuncCall = 2;

    /// <summary>The destination register, r0-r10.</summary>
    public byte DstReg
    {
        readonly get => (byte)(Regs & 0x0f);
        set => Regs = (byte)((Regs & 0xf0) | (value & 0x0f));
    }

    /// <summary>The source register, r0-r10, or a pseudo value.</summary>
    public byte SrcReg
    {
        readonly get => (byte)(Regs >> 4);
        set => Regs = (byte)((Regs & 0x0f) | (value << 4));
    }

    /// <summary>The instruction class (the low three bits of <see cref="Code"/>).</summary>
    public readonly byte Class => (byte)(Code & 0x07);
    /// <summary>Whether this is the first half of a 64-bit immediate load.</summary>
    public readonly bool IsLdImm64 => Code == LdImm64;
    /// <summary>Whether this is a call of any kind.</summary>
    public readonly bool IsCall => Code == Call;
    /// <summary>Whether this calls a BPF function of the same object.</summary>
    public readonly bool IsSubprogramCall => Code == Call && SrcReg == PseudoCall;

    /// <summary><c>r0 = 0; exit</c>: the smallest program the verifier accepts (feature probes).</summary>
    internal static Instruction[] ReturnZero() => [new() { Code = MovImm64 }, new() { Code = Exit }];

    /// <inheritdoc/>
    public override readonly string ToString() => $"code=0x{Code:x2} dst=r{DstReg} src=r{SrcReg} off={Offset} imm={Imm}";
}
