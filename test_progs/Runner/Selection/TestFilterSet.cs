namespace BpfTests.TestProgs.Selection;

/// <summary>One allow or deny entry: a test pattern and the subtest patterns merged into it (may be empty).</summary>
public sealed record TestFilter(string TestPattern, IReadOnlyList<string> SubtestPatterns)
{
    public bool MatchesTest(string test) => Glob.Match(test, TestPattern);
    public bool MatchesSubtest(string subtest) => SubtestPatterns.Any(p => Glob.Match(subtest, p));
}

/// <summary>
/// An allow or deny set (struct test_filter_set). Entries are keyed by their expanded test pattern:
/// inserting a pattern that is already there merges the subtest patterns into the existing entry
/// (test_progs.md §3.1), so <c>-a foo -a foo/bar</c> is one entry <c>foo</c> with subtests <c>[bar]</c>.
/// Immutable: <see cref="Insert"/> returns a new set.
/// </summary>
public sealed record TestFilterSet(IReadOnlyList<TestFilter> Entries)
{
    public static readonly TestFilterSet Empty = new([]);

    public bool IsEmpty => Entries.Count == 0;

    /// <summary>
    /// Adds one list item: split at the first '/' into test and subtest pattern; with
    /// <paramref name="substring"/> (-t/-b) both parts are wrapped as <c>*part*</c>.
    /// </summary>
    public TestFilterSet Insert(string item, bool substring)
    {
        int slash = item.IndexOf('/');
        string test = slash < 0 ? item : item[..slash];
        string? subtest = slash < 0 ? null : item[(slash + 1)..];
        if (substring)
        {
            test = $"*{test}*";
            subtest = subtest is null ? null : $"*{subtest}*";
        }
        var entries = Entries.ToList();
        int i = entries.FindIndex(e => e.TestPattern == test);
        if (i < 0)
            entries.Add(new TestFilter(test, subtest is null ? [] : [subtest]));
        else if (subtest is not null)
            entries[i] = entries[i] with { SubtestPatterns = [.. entries[i].SubtestPatterns, subtest] };
        return new TestFilterSet(entries);
    }

    public TestFilterSet InsertAll(IEnumerable<string> items, bool substring) =>
        items.Aggregate(this, (set, item) => set.Insert(item, substring));
}

/// <summary>Splitting option arguments and @file contents into list items (parse_test_list, parse_test_list_file).</summary>
public static class TestList
{
    /// <summary>A comma-separated argument: empty items vanish (strtok).</summary>
    public static IEnumerable<string> SplitArgument(string argument) =>
        argument.Split(',', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>
    /// An @file's lines (test_progs.md §3.2): leading blanks skipped, everything from '#' dropped,
    /// trailing blanks trimmed, empty lines skipped; the rest is one item (no comma splitting).
    /// </summary>
    public static IEnumerable<string> FileItems(IEnumerable<string> lines)
    {
        foreach (var line in lines)
        {
            var text = line.TrimStart();
            int hash = text.IndexOf('#');
            if (hash >= 0)
                text = text[..hash];
            text = text.TrimEnd();
            if (text.Length > 0)
                yield return text;
        }
    }
}
