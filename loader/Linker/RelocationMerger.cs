using System.Buffers.Binary;
using BpfLoader.Diagnostics;
using BpfLoader.Elf;

namespace BpfLoader.Linker;

/// <summary>
/// Step 4 of adding an input: its relocation sections, appended to the output <c>.rel&lt;target&gt;</c> sections
/// with offsets moved by the target chunk's start and symbol indexes mapped to the output symbols. A relocation
/// through a section symbol also patches the instruction, whose immediate is relative to the input section.
/// </summary>
internal static class RelocationMerger
{
    private const byte CallOpcode = 0x85;   // BPF_JMP | BPF_CALL

    public static void Append(LinkState state, LinkerInput input)
    {
        foreach (var src in input.Sections)
        {
            if (src.Skipped || !src.IsRelocation)
                continue;
            var target = input.Sections[(int)src.Elf!.Info];
            var dst = state.FindSection(src.Name);
            if (dst is null)
            {
                dst = state.AddSection(src.Name);
                state.MaterializeSection(dst, src);
            }
            else if (!SectionMerger.Compatible(dst, src))
            {
                throw BpfLinkException.Warn($"sections {src.Name} are not compatible", Errno.EINVAL, input.Path);
            }
            var targetOut = target.Destination!;
            dst.Link = LinkState.SymtabIndex;
            dst.Info = (uint)targetOut.ElfIndex;
            src.Destination = dst;
            SectionMerger.Extend(state, dst, src);
            Rebase(input, target, dst.Bytes.Slice(src.DestinationOffset, (int)src.Elf.Size), targetOut);
        }
    }

    private static void Rebase(LinkerInput input, InputSection target, Span<byte> records, OutputSection targetOut)
    {
        var symbols = input.Elf.Symbols;
        for (int off = 0; off < records.Length; off += 16)
        {
            var rec = records.Slice(off, 16);
            ulong offset = BinaryPrimitives.ReadUInt64LittleEndian(rec) + (ulong)target.DestinationOffset;
            ulong info = BinaryPrimitives.ReadUInt64LittleEndian(rec[8..]);
            var sym = symbols[(int)(info >> 32)];
            BinaryPrimitives.WriteUInt64LittleEndian(rec, offset);
            BinaryPrimitives.WriteUInt64LittleEndian(rec[8..], ((ulong)(uint)input.SymbolMap[sym.Index] << 32) | (uint)info);
            if (sym.Type != ElfConstants.SttSection)
                continue;
            if (!target.Elf!.IsExecutable)
                throw BpfLinkException.Warn("relocation against STT_SECTION in non-exec section is not supported!", Errno.EINVAL, input.Path, sym.Name);
            if (sym.SectionIndex >= input.Elf.Sections.Count || offset + 8 > (ulong)targetOut.Size)
                throw BpfLinkException.Warn($"ELF relo #{off / 16} in section #{target.Index} is corrupted (section symbol #{sym.Index}, offset {offset}) in {input.Path}", Errno.EINVAL, input.Path, sym.Name);
            int symSecOff = input.Sections[sym.SectionIndex].DestinationOffset;
            var insn = targetOut.Bytes.Slice((int)offset, 8);
            int imm = BinaryPrimitives.ReadInt32LittleEndian(insn[4..]);
            imm += insn[0] == CallOpcode ? symSecOff / 8 : symSecOff;
            BinaryPrimitives.WriteInt32LittleEndian(insn[4..], imm);
        }
    }
}
