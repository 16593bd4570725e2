namespace BpfTests.TestProgs.Selection;

/// <summary>
/// What -t/-n/-a/-d/-b selected (struct test_selector): the allow and deny sets, and the -n test and
/// subtest number sets. The decisions of test_progs.md §3.4 (tests) and §3.5 (subtests).
/// </summary>
public sealed record Selector(
    TestFilterSet Allow,
    TestFilterSet Deny,
    IReadOnlySet<int>? TestNumbers,
    IReadOnlySet<int>? SubtestNumbers)
{
    public static readonly Selector All = new(TestFilterSet.Empty, TestFilterSet.Empty, null, null);

    /// <summary>
    /// §3.4: a deny entry without subtest patterns matching the name excludes (deny wins); then any
    /// allow entry matching the name selects; with neither allow entries nor -n numbers everything
    /// runs; otherwise the test number must be in the -n set.
    /// </summary>
    public bool SelectsTest(string name, int number)
    {
        if (Deny.Entries.Any(e => e.SubtestPatterns.Count == 0 && e.MatchesTest(name)))
            return false;
        if (Allow.Entries.Any(e => e.MatchesTest(name)))
            return true;
        if (Allow.IsEmpty && TestNumbers is null)
            return true;
        return TestNumbers?.Contains(number) == true;
    }

    /// <summary>
    /// §3.5: denied when a deny entry matches the test and has no subtest patterns or a matching one;
    /// the same rule with allow entries selects; with neither allow entries nor subtest numbers
    /// everything runs; otherwise the 1-based subtest number must be in the subtest-number set.
    /// </summary>
    public bool SelectsSubtest(string test, string subtest, int subtestNumber)
    {
        if (Deny.Entries.Any(e => Covers(e, test, subtest)))
            return false;
        if (Allow.Entries.Any(e => Covers(e, test, subtest)))
            return true;
        if (Allow.IsEmpty && SubtestNumbers is null)
            return true;
        return SubtestNumbers?.Contains(subtestNumber) == true;
    }

    private static bool Covers(TestFilter e, string test, string subtest) =>
        e.MatchesTest(test) && (e.SubtestPatterns.Count == 0 || e.MatchesSubtest(subtest));
}
