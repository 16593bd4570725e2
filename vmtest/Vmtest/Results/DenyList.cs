namespace BpfTests.Vmtest.Results;

/// <summary>One deny-list line: a test (or test/subtest) pattern with its reason and origin.</summary>
public sealed record DenyEntry(string Test, string? Subtest, string Reason, string Source, int Line)
{
    public string Pattern => Subtest == null ? Test : $"{Test}/{Subtest}";
    public bool HasGlob => Pattern.Contains('*');
}

/// <summary>
/// DENYLIST files in test_progs' format (tools/testing/selftests/bpf/DENYLIST*): one `test[/subtest]` a line, `*`
/// globs, `# reason`. Ours require the reason. Merge order: DENYLIST, DENYLIST.&lt;series&gt;,
/// DENYLIST.tcg (under emulation).
/// </summary>
public static class DenyList
{
    public static IReadOnlyList<DenyEntry> Parse(IEnumerable<string> lines, string source)
    {
        var entries = new List<DenyEntry>();
        var n = 0;
        foreach (var raw in lines)
        {
            n++;
            var hash = raw.IndexOf('#');
            var body = (hash < 0 ? raw : raw[..hash]).Trim();
            var reason = hash < 0 ? "" : raw[(hash + 1)..].Trim();
            if (body.Length == 0) continue; // blank or comment-only
            if (body.Any(char.IsWhiteSpace)) throw new FormatException($"{source}:{n}: one test pattern per line, got '{body}'");
            if (reason.Length == 0) throw new FormatException($"{source}:{n}: '{body}' has no '# reason'");
            var slash = body.IndexOf('/');
            entries.Add(slash < 0
                ? new DenyEntry(body, null, reason, source, n)
                : new DenyEntry(body[..slash], body[(slash + 1)..], reason, source, n));
        }
        return entries;
    }

    /// <summary>The files that apply to a kernel series, in merge order, that exist.</summary>
    public static IEnumerable<string> FilesFor(string dir, string series, bool tcg)
    {
        var names = new List<string> { "DENYLIST", $"DENYLIST.{series}" };
        if (tcg) names.Add("DENYLIST.tcg");
        return names.Select(n => Path.Combine(dir, n)).Where(File.Exists);
    }

    public static IReadOnlyList<DenyEntry> Load(IEnumerable<string> files) =>
        files.SelectMany(f => Parse(File.ReadLines(f), Path.GetFileName(f))).ToList();

    /// <summary>The merged list as one file in test_progs' format (for `-d @file` and the harness).</summary>
    public static string Render(IEnumerable<DenyEntry> entries) =>
        string.Concat(entries.Select(e => $"{e.Pattern}  # {e.Reason} ({e.Source}:{e.Line})\n"));

    /// <summary>
    /// Until the harness applies deny lists itself, entries become a VSTest/MTP test-case filter.
    /// A test_progs "test" is an NUnit test method or fixture of that name: `Name!=x` excludes the
    /// method, `FullyQualifiedName!~.x.` the fixture's tests. Globs: the literal text before the
    /// first `*` excluded by containment (`FullyQualifiedName!~text`), which may exclude more than
    /// test_progs would; a subtest entry cannot be expressed (subtests are not NUnit tests) and is
    /// left to the harness through BPFTESTS_DENYLIST. Returns null when nothing can be filtered.
    /// </summary>
    public static string? ToTestFilter(IEnumerable<DenyEntry> entries, out IReadOnlyList<DenyEntry> notExpressible)
    {
        var clauses = new List<string>();
        var skipped = new List<DenyEntry>();
        foreach (var e in entries)
        {
            if (e.Subtest != null) { skipped.Add(e); continue; }
            if (e.HasGlob)
            {
                var literal = e.Test[..e.Test.IndexOf('*')];
                if (literal.Length == 0) { skipped.Add(e); continue; }
                clauses.Add($"FullyQualifiedName!~{Escape(literal)}");
            }
            else
            {
                clauses.Add($"Name!={Escape(e.Test)}");
                clauses.Add($"FullyQualifiedName!~.{Escape(e.Test)}.");
            }
        }
        notExpressible = skipped;
        return clauses.Count == 0 ? null : string.Join('&', clauses);
    }

    /// <summary>Filter syntax reserves ( ) &amp; | = ! ~ and backslash.</summary>
    private static string Escape(string s) =>
        string.Concat(s.Select(c => "()&|=!~\\".Contains(c) ? "\\" + c : c.ToString()));
}
