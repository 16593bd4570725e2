using System.Text.RegularExpressions;

namespace BpfHarness;

/// <summary>One expected verifier-log line: a substring (<c>__msg</c>) or a regular expression (<c>__regex</c>).</summary>
public sealed record ExpectedMessage(string Text, bool IsRegex)
{
    /// <summary>Where the match ends in <paramref name="log"/> at or after <paramref name="from"/>, or -1.</summary>
    public int MatchEnd(string log, int from)
    {
        if (!IsRegex)
        {
            int at = log.IndexOf(Text, from, StringComparison.Ordinal);
            return at < 0 ? -1 : at + Text.Length;
        }
        var m = new Regex(Text, RegexOptions.Multiline).Match(log, from);
        return m.Success ? m.Index + m.Length : -1;
    }
}

/// <summary>What one mode (privileged, or unprivileged) of a program's test expects.</summary>
public sealed record ModeSpec(string Name, bool ExpectFailure, IReadOnlyList<ExpectedMessage> Messages, long? Retval);

/// <summary>
/// One program's test spec, read from its <c>comment:</c> BTF decl tags (the <c>__success</c>, <c>__msg</c>, ...
/// macros of <c>progs/include/bpf_misc.h</c>), like test_loader.c's <c>struct test_spec</c>.
/// </summary>
public sealed record ProgramTestSpec(
    string Program,
    bool Auxiliary,
    bool AuxiliaryUnpriv,
    int LogLevel,
    uint ProgFlags,
    ModeSpec? Privileged,
    ModeSpec? Unprivileged);
