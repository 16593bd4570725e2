using BpfLoader.Btf;
using BpfLoader.Diagnostics;
using BpfLoader.Kernel;
using BpfLoader.Elf;
using BpfLoader.Programs;

namespace BpfLoader.Core;

using Btf = BpfLoader.Btf.Btf;

/// <summary>A CO-RE relocation applied to one (sub)program, kept so the verifier log can explain a poisoned instruction.</summary>
internal readonly record struct AppliedCoreRelo(BpfProgram Program, int InsnIndex, CoreRelo Relo, int ReloIndex);

/// <summary>
/// libbpf's <c>bpf_object__relocate_core</c>, run in the prepare phase before subprograms are linked: for
/// every .BTF.ext core_relo record of an autoloaded program or subprogram, find the target candidates
/// (cached per local type), resolve the value and patch the instruction in place. Returns what it applied.
/// </summary>
internal static class CoreRelocator
{
    /// <summary>
    /// Applies the CO-RE relocations of <paramref name="ext"/> to <paramref name="programs"/> (entry programs and
    /// subprograms of object <paramref name="objName"/>) against the kernel's BTF, or the BTF file at
    /// <paramref name="btfCustomPath"/>; returns the relocations applied, which the verifier-log fix-up needs.
    /// On failure prints libbpf's message and throws with its errno.
    /// </summary>
    public static IReadOnlyList<AppliedCoreRelo> Apply(string objName, Btf? localBtf, BtfExt? ext, ElfFile elf,
        IReadOnlyList<BpfProgram> programs, string? btfCustomPath)
    {
        if (localBtf is null || ext is null || ext.CoreReloSections.Count == 0)
            return [];
        var applied = new List<AppliedCoreRelo>();
        int err = ApplyCore(localBtf, ext, elf, programs, btfCustomPath, applied);
        if (err != 0)
            throw LibbpfError.ForObject(objName, $"failed to perform CO-RE relocations: {Errno.Str(err)}", err);
        return applied;
    }

    private static int ApplyCore(Btf localBtf, BtfExt ext, ElfFile elf, IReadOnlyList<BpfProgram> all, string? btfCustomPath,
        List<AppliedCoreRelo> applied)
    {
        CoreTargets targets;
        try
        {
            targets = btfCustomPath is { } path ? CoreTargets.Override(Btf.LoadFile(path)) : CoreTargets.Kernel();
        }
        catch (BpfException e)
        {
            LibbpfLog.Warn($"failed to parse target BTF: {Errno.Str(e.Error)}");
            return e.Error;
        }
        var cache = new Dictionary<int, List<CoreCandidate>>();

        foreach (var section in ext.CoreReloSections)
        {
            var elfSection = elf.FindSection(section.Name);
            if (elfSection is null)
            {
                LibbpfLog.Debug($"sec '{section.Name}': no such ELF section, skipping its CO-RE relocations");
                continue;
            }
            LibbpfLog.Debug($"sec '{section.Name}': found {section.Records.Count} CO-RE relocations");
            for (int i = 0; i < section.Records.Count; i++)
            {
                var rec = section.Records[i];
                if (rec.InsnOff % Instruction.Size != 0)
                    return -Errno.EINVAL;
                int secInsn = (int)(rec.InsnOff / Instruction.Size);
                var prog = all.FirstOrDefault(p => p.SectionIndex == elfSection.Index && secInsn >= p.SectionInsnOffset
                                                    && secInsn < p.SectionInsnOffset + p.Instructions.Length);
                if (prog is null)
                {
                    // Left behind by the static linker for a __weak subprogram that another object overrode.
                    LibbpfLog.Debug($"sec '{section.Name}': skipping CO-RE relocation #{i} for insn #{secInsn} belonging to eliminated weak subprogram");
                    continue;
                }
                if (!prog.AutoLoad)
                    continue;   // a program that is not loaded needs no relocation
                int insnIdx = secInsn - prog.SectionInsnOffset;
                applied.Add(new AppliedCoreRelo(prog, insnIdx, rec, i));

                int err = ResolveOne(prog, rec, i, localBtf, targets, cache, out var res);
                if (err != 0)
                {
                    LibbpfLog.Warn($"prog '{prog.Name}': relo #{i}: failed to relocate: {Errno.Str(err)}");
                    return err;
                }
                err = CoreInsnPatcher.Patch(prog.Name, prog.Instructions, insnIdx, i, res);
                if (err != 0)
                {
                    LibbpfLog.Warn($"prog '{prog.Name}': relo #{i}: failed to patch insn #{insnIdx}: {Errno.Str(err)}");
                    return err;
                }
            }
        }
        return 0;
    }

    // libbpf's bpf_core_resolve_relo: candidates are searched once per local type id and shared by its relocations.
    private static int ResolveOne(BpfProgram prog, CoreRelo rec, int reloIdx, Btf localBtf, CoreTargets targets,
        Dictionary<int, List<CoreCandidate>> cache, out CoreReloResult res)
    {
        res = default;
        if (!localBtf.TryGetType(rec.TypeId, out var localType))
            return -Errno.EINVAL;
        List<CoreCandidate>? cands = null;
        if (rec.Kind != BtfCoreReloKind.TypeIdLocal && !cache.TryGetValue(rec.TypeId, out cands))
        {
            int err = CoreCandidates.Find(targets, localBtf, rec.TypeId, out cands);
            if (err != 0)
            {
                LibbpfLog.Warn($"prog '{prog.Name}': relo #{reloIdx}: target candidate search failed for [{rec.TypeId}] {CoreNames.KindString(localType)} {localType.Name}: {err}");
                return err;
            }
            cache[rec.TypeId] = cands;
        }
        return CoreResolver.Resolve(prog.Name, rec, reloIdx, localBtf, cands, out res, out _);
    }
}
