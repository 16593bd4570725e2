namespace BpfHarness;

/// <summary>test_progs' result line formats (TEST_NUM_WIDTH = 7).</summary>
public static class ResultLines
{
    /// <summary><c>"#%-7d %s:%s\n"</c>, e.g. <c>#12      foo:OK</c>.</summary>
    public static string Test(int number, string name, string result) => $"#{number,-7} {name}:{result}\n";

    /// <summary><c>"#%-7s %s/%s:%s\n"</c> with <c>T/S</c> as the number, e.g. <c>#12/3    foo/bar:OK</c>.</summary>
    public static string Subtest(int number, int subtestNumber, string test, string subtest, string result) =>
        $"#{$"{number}/{subtestNumber}",-7} {test}/{subtest}:{result}\n";

    /// <summary>
    /// A test's result: FAIL with errors; OK without skips; SKIP when everything (or a subtest-less
    /// test) skipped; otherwise <c>OK (SKIP: skipped/subtests)</c>.
    /// </summary>
    public static string TestResult(int errors, int skips, int subtests) =>
        errors > 0 ? "FAIL"
        : skips == 0 ? "OK"
        : skips == subtests || subtests == 0 ? "SKIP"
        : $"OK (SKIP: {skips}/{subtests})";
}
