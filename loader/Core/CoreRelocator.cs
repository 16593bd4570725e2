using System.Runtime.CompilerServices;
using BpfLoader.Btf;
using BpfLoader.Diagnostics;
using BpfLoader.Objects;
using BpfLoader.Programs;

namespace BpfLoader.Core;

using Btf = BpfLoader.Btf.Btf;

/// <summary>A CO-RE relocation applied to one (sub)program, kept so the verifier log can explain a poisoned instruction.</summary>
internal readonly record struct AppliedCoreRelo(BpfProgram Program, int InsnIndex, CoreRelo Relo, int ReloIndex);

/// <summary>
/// libbpf's <c>bpf_object__relocate_core</c>, run in the prepare phase before subprograms are linked: for
/// every .BTF.ext core_relo record of an autoloaded program or subprogram, find the target candidates
/// (cached per local type), resolve the value and patch the instruction in place.
/// </summary>
internal static class CoreRelocator
{
    private static readonly ConditionalWeakTable<BpfObject, List<AppliedCoreRelo>> Applied = new();

    /// <summary>The relocations applied to <paramref name="obj"/>'s programs (empty before prepare).</summary>
    public static IReadOnlyList<AppliedCoreRelo> AppliedTo(BpfObject obj)
        => Applied.TryGetValue(obj, out var list) ? list : [];

    /// <summary>Applies all CO-RE relocations; on failure prints libbpf's message and throws with its errno.</summary>
    public static void Apply(BpfObject obj)
    {
        var ext = obj.BtfExt;
        if (ext is null || ext.CoreReloSections.Count == 0)
            return;
        int err = ApplyCore(obj, ext);
        if (err != 0)
        {
            throw LibbpfError.ForObject(obj.Name, $"failed to perform CO-RE relocations: {Errno.Str(err)}", err);
        }
    }

    private static int ApplyCore(BpfObject obj, BtfExt ext)
    {
        var localBtf = obj.Btf!;
        CoreTargets targets;
        try
        {
            targets = obj.Options.BtfCustomPath is { } path ? CoreTargets.Override(Btf.LoadFile(path)) : CoreTargets.Kernel();
        }
        catch (BpfException e)
        {
            LibbpfLog.Warn($"failed to parse target BTF: {Errno.Str(e.Error)}");
            return e.Error;
        }
        var cache = new Dictionary<int, List<CoreCandidate>>();
        var applied = new List<AppliedCoreRelo>();
        Applied.AddOrUpdate(obj, applied);
        var all = obj.Programs.Concat(obj.Subprograms).ToList();

        foreach (var section in ext.CoreReloSections)
        {
            var elfSection = obj.Elf.FindSection(section.Name);
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
                err = CoreInsnPatcher.Patch(prog.Name, prog.Instructions, insnIdx, rec, i, res);
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
