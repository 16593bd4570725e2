using System.Text.RegularExpressions;

namespace BpfTests.Vmtest.Results;

public sealed record Splat(string Source, int Line, string Text);

/// <summary>
/// Kernel splat scan of the console log and dmesg (libbpf CI's check-kernel-splats pattern set):
/// a WARN leaves the VM running and the tests green, so this is the only signal for it. Lines that
/// match an allow-list entry (substring, each with a reason) are expected and ignored.
/// </summary>
public sealed class SplatScanner(IReadOnlyList<(string Text, string Reason)> allow)
{
    private static readonly Regex Pattern = new(
        @"(\bBUG:|\bWARNING:|\bUBSAN:|\bOops\b|kernel BUG at|watchdog: .*soft lockup|hard LOCKUP|rcu: INFO: .*detected stalls|INFO: task .* blocked for more than|Kernel panic|general protection fault)",
        RegexOptions.Compiled | RegexOptions.CultureInvariant);

    public IReadOnlyList<(string Text, string Reason)> Allow => allow;

    public IReadOnlyList<Splat> Scan(IEnumerable<string> lines, string source)
    {
        var hits = new List<Splat>();
        var n = 0;
        foreach (var line in lines)
        {
            n++;
            if (Pattern.IsMatch(line) && !allow.Any(a => line.Contains(a.Text, StringComparison.Ordinal)))
                hits.Add(new Splat(source, n, line.Trim()));
        }
        return hits;
    }

    /// <summary>The allow-list file: `text  # reason` a line; the reason is required.</summary>
    public static SplatScanner Load(string path)
    {
        var entries = new List<(string, string)>();
        var n = 0;
        foreach (var raw in File.ReadLines(path))
        {
            n++;
            if (raw.TrimStart().StartsWith('#') || raw.Trim().Length == 0) continue;
            var hash = raw.LastIndexOf('#');
            if (hash < 0 || raw[(hash + 1)..].Trim().Length == 0) throw new FormatException($"{path}:{n}: allow-list entry without '# reason'");
            entries.Add((raw[..hash].Trim(), raw[(hash + 1)..].Trim()));
        }
        return new SplatScanner(entries);
    }
}
