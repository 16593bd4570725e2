using BpfLoader.Diagnostics;
using BpfLoader.Maps;
using BpfLoader.Programs;

namespace BpfLoader.Objects;

using BtfExt = BpfLoader.Btf.BtfExt;

/// <summary>
/// Builds the instruction stream of one main program the way libbpf's <c>bpf_object__relocate</c> does:
/// the main program first, then every subprogram it reaches (directly or through other subprograms, and
/// through callback addresses) appended once, with call offsets recomputed, map and global-data references
/// filled in, and .BTF.ext func_info/line_info records moved to the new instruction positions.
/// </summary>
internal sealed class ProgramLinker
{
    /// <summary>libbpf's MAP_LDIMM64_POISON_BASE: a reference to a map that was not created becomes an invalid call.</summary>
    public const int MapPoisonBase = 2001000000;

    private readonly BpfObject _obj;
    private readonly BpfProgram _main;
    private readonly List<Instruction> _code = [];
    private readonly List<(BpfProgram Program, int Start)> _placed = [];
    private readonly Dictionary<BpfProgram, int> _starts = [];

    private ProgramLinker(BpfObject obj, BpfProgram main)
    {
        _obj = obj;
        _main = main;
    }

    public static LinkedProgram Link(BpfObject obj, BpfProgram main)
    {
        var linker = new ProgramLinker(obj, main);
        linker.Place(main);
        linker.RelocatePlaced();
        // Nothing calls an exception callback: append it now unless a call already placed it (the verifier rejects that).
        if (ExceptionCallback.Find(obj, main) is { } callback)
        {
            linker.Place(callback);
            linker.RelocatePlaced();
        }
        return linker.Finish();
    }

    private int _relocatedCount;

    /// <summary>Relocates every placed program not relocated yet, including those placed while doing so.</summary>
    private void RelocatePlaced()
    {
        for (; _relocatedCount < _placed.Count; _relocatedCount++)
            Relocate(_placed[_relocatedCount].Program, _placed[_relocatedCount].Start);
    }

    private int Place(BpfProgram prog)
    {
        if (_starts.TryGetValue(prog, out int start))
            return start;
        start = _code.Count;
        _code.AddRange(prog.Instructions);
        _placed.Add((prog, start));
        _starts[prog] = start;
        if (prog != _main)
            LibbpfLog.Debug($"prog '{_main.Name}': added {prog.Instructions.Length} insns from sub-prog '{prog.Name}'");
        return start;
    }

    private void Relocate(BpfProgram prog, int start)
    {
        var relocated = new HashSet<int>();
        if (_obj.Relocations.TryGetValue(prog, out var relocations))
        {
            foreach (var relo in relocations)
            {
                relocated.Add(relo.InsnIndex);
                Apply(prog, start, relo);
            }
        }
        // Calls inside one section need no ELF relocation: clang already encoded pc-relative offsets.
        for (int i = 0; i < prog.Instructions.Length; i++)
        {
            var insn = _code[start + i];
            if (!insn.IsSubprogramCall || relocated.Contains(i))
                continue;
            int targetInSection = prog.SectionInsnOffset + i + insn.Imm + 1;
            if (targetInSection >= prog.SectionInsnOffset && targetInSection < prog.SectionInsnOffset + prog.Instructions.Length)
                continue; // stays inside this function
            SetCallTarget(start + i, prog.SectionIndex, targetInSection, prog);
        }
    }

    private void Apply(BpfProgram prog, int start, Relocation relo)
    {
        int idx = start + relo.InsnIndex;
        var insn = _code[idx];
        switch (relo.Kind)
        {
            case RelocationKind.MapFd:
            case RelocationKind.MapValue:
            {
                var map = relo.Map!;
                if (!map.AutoCreate)
                {
                    Poison(idx, _obj.Maps.ToList().IndexOf(map));
                    LibbpfLog.Debug($"prog '{_main.Name}': relo #{relo.InsnIndex}: poisoning insn #{idx} that loads map '{map.Name}' (not created)");
                    return;
                }
                var next = _code[idx + 1];
                if (relo.Kind == RelocationKind.MapValue)
                {
                    next.Imm = insn.Imm + (int)relo.SymbolValue;
                    insn.SrcReg = Instruction.PseudoMapValue;
                }
                else
                {
                    insn.SrcReg = Instruction.PseudoMapFd;
                }
                insn.Imm = map.Fd;
                _code[idx] = insn;
                _code[idx + 1] = next;
                return;
            }
            case RelocationKind.Call:
                SetCallTarget(idx, relo.TargetSection, (int)(relo.SymbolValue / Instruction.Size) + insn.Imm + 1, prog);
                return;
            case RelocationKind.Extern:
                Externs.ExternRelocations.Apply(_obj, _code, idx, (int)relo.SymbolValue, _main.Name, relo.InsnIndex);
                return;
            case RelocationKind.SubprogramAddress:
                SetCallTarget(idx, relo.TargetSection, (int)(relo.SymbolValue / Instruction.Size) + insn.Imm / Instruction.Size, prog);
                return;
        }
    }

    private void SetCallTarget(int idx, int section, int targetInSection, BpfProgram from)
    {
        var target = _obj.Subprograms.Concat(_obj.Programs)
            .FirstOrDefault(p => p.SectionIndex == section && targetInSection >= p.SectionInsnOffset
                                 && targetInSection < p.SectionInsnOffset + p.Instructions.Length);
        if (target is null)
        {
            string message = $"prog '{_main.Name}': no .text pages found for subprogram called from '{from.Name}' at insn #{idx} (section #{section}, insn {targetInSection})";
            LibbpfLog.Warn(message);
            throw LibbpfError.Log($"prog '{_main.Name}': failed to relocate calls: {Errno.Str(Errno.ESRCH)}", new BpfException(message, Errno.ESRCH));
        }
        int subStart = Place(target);
        var insn = _code[idx];
        insn.Imm = subStart + (targetInSection - target.SectionInsnOffset) - (idx + 1);
        _code[idx] = insn;
    }

    private void Poison(int idx, int mapIndex)
    {
        for (int i = 0; i < 2; i++)
        {
            _code[idx + i] = new Instruction { Code = Instruction.Call, Regs = 0, Offset = 0, Imm = MapPoisonBase + mapIndex };
        }
    }

    private LinkedProgram Finish()
    {
        var insns = _code.ToArray();
        var ext = _obj.BtfExt;
        if (ext is null)
            return new LinkedProgram(insns, null, 0, 0, null, 0, 0) { Placement = _placed };

        var funcs = MoveRecords(ext.GetFuncInfos, r => r.InsnOff, (r, i) => r with { InsnOff = i });
        if (funcs.Count > 0 && funcs[0].InsnOff != 0)
        {
            LibbpfLog.Warn($"prog '{_main.Name}': missing .BTF.ext function info for the main program, skipping all of .BTF.ext func info.");
            return new LinkedProgram(insns, null, 0, 0, null, 0, 0) { Placement = _placed };
        }
        var lines = MoveRecords(ext.GetLineInfos, r => r.InsnOff, (r, i) => r with { InsnOff = i });
        return new LinkedProgram(insns,
            funcs.Count > 0 ? BtfExt.EncodeFuncInfos(funcs.ToArray()) : null, funcs.Count, BtfExt.FuncInfoSize,
            lines.Count > 0 ? BtfExt.EncodeLineInfos(lines.ToArray()) : null, lines.Count, BtfExt.LineInfoSize) { Placement = _placed };
    }

    /// <summary>
    /// Takes the records that fall inside each placed program and rewrites insn_off from the section byte
    /// offset to the instruction index inside the linked program (what the kernel expects), sorted by it.
    /// </summary>
    private List<T> MoveRecords<T>(Func<string, IReadOnlyList<T>> recordsOfSection, Func<T, uint> insnOff, Func<T, uint, T> withInsnOff)
    {
        var moved = new List<T>();
        foreach (var (prog, start) in _placed)
        {
            string section = _obj.Elf.Sections[prog.SectionIndex].Name;
            foreach (var rec in recordsOfSection(section))
            {
                int insn = (int)(insnOff(rec) / Instruction.Size);
                if (insn < prog.SectionInsnOffset || insn >= prog.SectionInsnOffset + prog.Instructions.Length)
                    continue;
                moved.Add(withInsnOff(rec, (uint)(insn - prog.SectionInsnOffset + start)));
            }
        }
        moved.Sort((a, b) => insnOff(a).CompareTo(insnOff(b)));
        return moved;
    }
}
