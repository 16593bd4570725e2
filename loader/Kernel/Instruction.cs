using System.Runtime.InteropServices;

namespace BpfLoader.Kernel;

/// <summary>One 8-byte BPF instruction (<c>struct bpf_insn</c>), as stored in the ELF and sent to the kernel.</summary>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
public struct Instruction
{
    public byte Code;
    /// <summary>dst_reg in the low nibble, src_reg in the high nibble.</summary>
    public byte Regs;
    public short Offset;
    public int Imm;

    public const int Size = 8;

    // Opcode pieces used by the relocator.
    public const byte ClassLd = 0x00, ClassLdx = 0x01, ClassSt = 0x02, ClassStx = 0x03, ClassAlu = 0x04, ClassJmp = 0x05,
        ClassJmp32 = 0x06, ClassAlu64 = 0x07;
    public const byte OpCall = 0x80, OpExit = 0x90, OpMov = 0xb0, SourceImm = 0x00, ModeImm = 0x00, SizeDw = 0x18;
    public const byte LdImm64 = ClassLd | ModeImm | SizeDw; // 0x18
    public const byte Call = ClassJmp | OpCall;              // 0x85
    public const byte Exit = ClassJmp | OpExit;              // 0x95
    public const byte MovImm64 = ClassAlu64 | OpMov | SourceImm; // 0xb7: dst = imm

    /// <summary>Pseudo source registers that give an instruction a loader-defined meaning.</summary>
    public const byte PseudoMapFd = 1, PseudoMapValue = 2, PseudoBtfId = 3, PseudoFunc = 4, PseudoMapIdx = 5, PseudoMapIdxValue = 6;
    public const byte PseudoCall = 1, PseudoKfuncCall = 2;

    public byte DstReg
    {
        readonly get => (byte)(Regs & 0x0f);
        set => Regs = (byte)((Regs & 0xf0) | (value & 0x0f));
    }

    public byte SrcReg
    {
        readonly get => (byte)(Regs >> 4);
        set => Regs = (byte)((Regs & 0x0f) | (value << 4));
    }

    public readonly byte Class => (byte)(Code & 0x07);
    public readonly bool IsLdImm64 => Code == LdImm64;
    public readonly bool IsCall => Code == Call;
    public readonly bool IsSubprogramCall => Code == Call && SrcReg == PseudoCall;

    /// <summary><c>r0 = 0; exit</c>: the smallest program the verifier accepts (feature probes).</summary>
    internal static Instruction[] ReturnZero() => [new() { Code = MovImm64 }, new() { Code = Exit }];

    public override readonly string ToString() => $"code=0x{Code:x2} dst=r{DstReg} src=r{SrcReg} off={Offset} imm={Imm}";
}
