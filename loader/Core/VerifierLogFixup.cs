using System.Globalization;
using System.Text.RegularExpressions;
using BpfLoader.Kernel;
using BpfLoader.Programs;

namespace BpfLoader.Core;

using Btf = BpfLoader.Btf.Btf;

/// <summary>
/// libbpf's <c>fixup_verifier_log</c>: when a failed load ends on a poisoned instruction the loader planted,
/// the last lines of the verifier log (<c>123: (85) call unknown#195896080</c> /
/// <c>invalid func unknown#195896080</c>) are replaced by what actually went wrong: an unresolved CO-RE
/// relocation, a map that was not created, or an unresolved weak kfunc. Only the last 10 lines are
/// inspected and at most one fix-up is made, as in libbpf.
/// </summary>
internal static partial class VerifierLogFixup
{
    // libbpf recognizes the last line by its start: the CO-RE poison exactly, map and kfunc poisons by the
    // first four digits of their base (2001..., 2002...).
    private static readonly string CoreReloLine = PoisonedCall.VerifierComplaint(PoisonedCall.CoreRelo) + "\n";
    private static readonly string MapLinePrefix = PoisonedCall.VerifierComplaint(PoisonedCall.MapBase)[..^6];
    private static readonly string KfuncLinePrefix = PoisonedCall.VerifierComplaint(PoisonedCall.KfuncBase)[..^6];

    private const int MaxLastLines = 10;
    private const int SpecBufSize = 256;

    [GeneratedRegex(@"^\s*(-?\d+): \(\s*\d+\) call unknown#(-?\d+)\n")]
    private static partial Regex PoisonedCallLine();

    /// <summary>What the fix-up needs to explain a poisoned instruction of one linked program.</summary>
    /// <param name="LocalBtf">The object's BTF (CO-RE specs are printed from it).</param>
    /// <param name="Applied">The CO-RE relocations the prepare phase applied.</param>
    /// <param name="Placement">Each (sub)program in the linked program and its first instruction index there.</param>
    /// <param name="MapName">The object's map at an index (poisoned map references), or null.</param>
    /// <param name="ExternName">The object's extern at an index (poisoned kfunc calls), or null.</param>
    internal sealed record Inputs(Btf? LocalBtf, IReadOnlyList<AppliedCoreRelo> Applied,
        IReadOnlyList<(BpfProgram Program, int Start)> Placement, Func<int, string?> MapName, Func<int, string?>? ExternName);

    /// <summary>Rewrites <paramref name="log"/> of a failed load of the linked program described by <paramref name="inputs"/>.</summary>
    public static string Apply(string log, Inputs inputs)
    {
        int next = log.Length;
        for (int i = 0; i < MaxLastLines; i++)
        {
            int cur = PrevLine(log, next);
            if (cur < 0)
                return log;
            var rest = log.AsSpan(cur);
            string? patched = null;
            bool recognized = true;
            if (rest.StartsWith(CoreReloLine))
                patched = Fix(log, cur, next, (insn, _) => CoreRelo(inputs, insn));
            else if (rest.StartsWith(MapLinePrefix))
                patched = Fix(log, cur, next, (insn, imm) => MissingMap(inputs.MapName, insn, imm));
            else if (rest.StartsWith(KfuncLinePrefix))
                patched = Fix(log, cur, next, (insn, imm) => MissingKfunc(inputs.ExternName, insn, imm));
            else
                recognized = false;
            if (recognized && patched is not null)
                return patched;
            if (recognized && PrevLine(log, cur) >= 0)
                return log;   // libbpf stops at the first recognized line even when it cannot explain it
            next = cur;
        }
        return log;
    }

    // line1 = the poisoned instruction's line (before cur), replaced together with cur up to next.
    private static string? Fix(string log, int cur, int next, Func<int, int, string?> explain)
    {
        int line1 = PrevLine(log, cur);
        if (line1 < 0)
            return null;
        var m = PoisonedCallLine().Match(log[line1..cur]);
        if (!m.Success)
            return null;
        int insn = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        if (!int.TryParse(m.Groups[2].Value, CultureInfo.InvariantCulture, out int imm))
            return null;
        var patch = explain(insn, imm);
        return patch is null ? null : string.Concat(log.AsSpan(0, line1), patch, log.AsSpan(next));
    }

    private static string? CoreRelo(Inputs inputs, int insn)
    {
        if (inputs.LocalBtf is null)
            return null;
        foreach (var applied in inputs.Applied)
        {
            int start = -1;
            foreach (var (p, s) in inputs.Placement)
            {
                if (ReferenceEquals(p, applied.Program))
                    start = s;
            }
            if (start < 0 || start + applied.InsnIndex != insn)
                continue;
            if (CoreSpec.Parse(applied.Program.Name, inputs.LocalBtf, applied.Relo, out var spec) != 0)
                return null;
            string text = spec.ToString();
            string shown = text.Length >= SpecBufSize ? text[..(SpecBufSize - 1)] + "..." : text;
            return $"{insn}: <invalid CO-RE relocation>\nfailed to resolve CO-RE relocation {shown}\n";
        }
        return null;
    }

    private static string? MissingMap(Func<int, string?> mapName, int insn, int imm)
    {
        var name = mapName(imm - PoisonedCall.MapBase);
        return name is null ? null : $"{insn}: <invalid BPF map reference>\nBPF map '{name}' is referenced but wasn't created\n";
    }

    private static string? MissingKfunc(Func<int, string?>? externName, int insn, int imm)
    {
        var name = externName?.Invoke(imm - PoisonedCall.KfuncBase);
        return name is null ? null : $"{insn}: <invalid kfunc call>\nkfunc '{name}' is referenced but wasn't resolved\n";
    }

    // libbpf's find_prev_line: the start of the line that ends just before cur (-1 at the buffer start).
    private static int PrevLine(string buf, int cur)
    {
        if (cur == 0)
            return -1;
        int p = cur - 1;
        while (p - 1 >= 0 && buf[p - 1] != '\n')
            p--;
        return p;
    }
}
