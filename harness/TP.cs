using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace BpfHarness;

/// <summary>
/// test_progs' test API with upstream's names and exact output (test_progs.h), for <c>using static
/// BpfHarness.TP;</c>. Every ASSERT prints <c>func:PASS:name 0 nsec</c> or <c>func:FAIL:name body</c> to
/// the current test's log, returns whether it passed, and on failure marks the test (or subtest) failed
/// and lets it continue, like test__fail(). <c>func</c> defaults to the calling method's name; pass
/// <c>func:</c> to keep an upstream function name when the C# code is shaped differently.
/// </summary>
public static class TP
{
    // ---- the generic engine (_CHECK) --------------------------------------------------------------

    /// <summary>CHECK(cond, tag, msg): fails when <paramref name="condition"/> is TRUE (upstream's inverted sense).</summary>
    public static bool CHECK(bool condition, string tag, string message, [CallerMemberName] string func = "") =>
        Report(!condition, func, tag, message.EndsWith('\n') ? message : message + "\n");

    /// <summary>CHECK_FAIL(cond): <c>func:FAIL:line</c> when <paramref name="condition"/> is true.</summary>
    public static bool CHECK_FAIL(bool condition, [CallerMemberName] string func = "", [CallerLineNumber] int line = 0)
    {
        if (condition)
            Emit(fail: true, $"{func}:FAIL:{line}\n");
        return condition;
    }

    /// <summary>PRINT_FAIL(msg): <c>func:FAIL:line msg</c>; always fails the test.</summary>
    public static void PRINT_FAIL(string message, [CallerMemberName] string func = "", [CallerLineNumber] int line = 0) =>
        Emit(fail: true, $"{func}:FAIL:{line} {Terminated(message)}");

    /// <summary>ASSERT_FAIL(msg): <c>func:FAIL: msg</c> (empty tag); always fails, returns false.</summary>
    public static bool ASSERT_FAIL(string message, [CallerMemberName] string func = "") =>
        Report(false, func, "", message + "\n");

    // ---- booleans and integers ---------------------------------------------------------------------

    /// <summary>Passes when <paramref name="actual"/> is true (upstream's ASSERT_TRUE); on failure prints the FAIL line and counts an error.</summary>
    public static bool ASSERT_TRUE(bool actual, string name, [CallerMemberName] string func = "") =>
        Report(actual, func, name, $"unexpected {name}: got FALSE\n");

    /// <summary>Passes when <paramref name="actual"/> is false (upstream's ASSERT_FALSE); on failure prints the FAIL line and counts an error.</summary>
    public static bool ASSERT_FALSE(bool actual, string name, [CallerMemberName] string func = "") =>
        Report(!actual, func, name, $"unexpected {name}: got TRUE\n");

    /// <summary>Passes when actual == expected (upstream's ASSERT_EQ); prints <c>func:PASS:name</c>, or on failure the FAIL line with both values, counts an error and lets the test go on. Returns whether it passed.</summary>
    public static bool ASSERT_EQ(long actual, long expected, string name, [CallerMemberName] string func = "") =>
        Report(actual == expected, func, name, $"unexpected {name}: actual {actual} != expected {expected}\n");
    /// <summary>Passes when actual != expected (upstream's ASSERT_NEQ); prints <c>func:PASS:name</c>, or on failure the FAIL line with both values, counts an error and lets the test go on. Returns whether it passed.</summary>
    public static bool ASSERT_NEQ(long actual, long expected, string name, [CallerMemberName] string func = "") =>
        Report(actual != expected, func, name, $"unexpected {name}: actual {actual} == expected {expected}\n");
    /// <summary>Passes when actual &lt; expected (upstream's ASSERT_LT); prints <c>func:PASS:name</c>, or on failure the FAIL line with both values, counts an error and lets the test go on. Returns whether it passed.</summary>
    public static bool ASSERT_LT(long actual, long expected, string name, [CallerMemberName] string func = "") =>
        Report(actual < expected, func, name, $"unexpected {name}: actual {actual} >= expected {expected}\n");
    /// <summary>Passes when actual &lt;= expected (upstream's ASSERT_LE); prints <c>func:PASS:name</c>, or on failure the FAIL line with both values, counts an error and lets the test go on. Returns whether it passed.</summary>
    public static bool ASSERT_LE(long actual, long expected, string name, [CallerMemberName] string func = "") =>
        Report(actual <= expected, func, name, $"unexpected {name}: actual {actual} > expected {expected}\n");
    /// <summary>Passes when actual &gt; expected (upstream's ASSERT_GT); prints <c>func:PASS:name</c>, or on failure the FAIL line with both values, counts an error and lets the test go on. Returns whether it passed.</summary>
    public static bool ASSERT_GT(long actual, long expected, string name, [CallerMemberName] string func = "") =>
        Report(actual > expected, func, name, $"unexpected {name}: actual {actual} <= expected {expected}\n");
    /// <summary>Passes when actual &gt;= expected (upstream's ASSERT_GE); prints <c>func:PASS:name</c>, or on failure the FAIL line with both values, counts an error and lets the test go on. Returns whether it passed.</summary>
    public static bool ASSERT_GE(long actual, long expected, string name, [CallerMemberName] string func = "") =>
        Report(actual >= expected, func, name, $"unexpected {name}: actual {actual} < expected {expected}\n");

    // Unsigned operands compare unsigned (as C compares two __u64) but print as %lld, like upstream.
    /// <summary>Passes when actual == expected, compared unsigned (upstream's ASSERT_EQ); prints <c>func:PASS:name</c>, or on failure the FAIL line with both values, counts an error and lets the test go on. Returns whether it passed.</summary>
    public static bool ASSERT_EQ(ulong actual, ulong expected, string name, [CallerMemberName] string func = "") =>
        Report(actual == expected, func, name, $"unexpected {name}: actual {(long)actual} != expected {(long)expected}\n");
    /// <summary>Passes when actual != expected, compared unsigned (upstream's ASSERT_NEQ); prints <c>func:PASS:name</c>, or on failure the FAIL line with both values, counts an error and lets the test go on. Returns whether it passed.</summary>
    public static bool ASSERT_NEQ(ulong actual, ulong expected, string name, [CallerMemberName] string func = "") =>
        Report(actual != expected, func, name, $"unexpected {name}: actual {(long)actual} == expected {(long)expected}\n");
    /// <summary>Passes when actual &lt; expected, compared unsigned (upstream's ASSERT_LT); prints <c>func:PASS:name</c>, or on failure the FAIL line with both values, counts an error and lets the test go on. Returns whether it passed.</summary>
    public static bool ASSERT_LT(ulong actual, ulong expected, string name, [CallerMemberName] string func = "") =>
        Report(actual < expected, func, name, $"unexpected {name}: actual {(long)actual} >= expected {(long)expected}\n");
    /// <summary>Passes when actual &lt;= expected, compared unsigned (upstream's ASSERT_LE); prints <c>func:PASS:name</c>, or on failure the FAIL line with both values, counts an error and lets the test go on. Returns whether it passed.</summary>
    public static bool ASSERT_LE(ulong actual, ulong expected, string name, [CallerMemberName] string func = "") =>
        Report(actual <= expected, func, name, $"unexpected {name}: actual {(long)actual} > expected {(long)expected}\n");
    /// <summary>Passes when actual &gt; expected, compared unsigned (upstream's ASSERT_GT); prints <c>func:PASS:name</c>, or on failure the FAIL line with both values, counts an error and lets the test go on. Returns whether it passed.</summary>
    public static bool ASSERT_GT(ulong actual, ulong expected, string name, [CallerMemberName] string func = "") =>
        Report(actual > expected, func, name, $"unexpected {name}: actual {(long)actual} <= expected {(long)expected}\n");
    /// <summary>Passes when actual &gt;= expected, compared unsigned (upstream's ASSERT_GE); prints <c>func:PASS:name</c>, or on failure the FAIL line with both values, counts an error and lets the test go on. Returns whether it passed.</summary>
    public static bool ASSERT_GE(ulong actual, ulong expected, string name, [CallerMemberName] string func = "") =>
        Report(actual >= expected, func, name, $"unexpected {name}: actual {(long)actual} < expected {(long)expected}\n");

    // ---- strings -----------------------------------------------------------------------------------

    /// <summary>Ordinal equality; a null prints as glibc prints a NULL %s, <c>(null)</c>.</summary>
    public static bool ASSERT_STREQ(string? actual, string? expected, string name, [CallerMemberName] string func = "") =>
        Report(string.Equals(actual, expected, StringComparison.Ordinal), func, name,
            $"unexpected {name}: actual '{actual ?? "(null)"}' != expected '{expected ?? "(null)"}'\n");

    /// <summary>Compares the first <paramref name="len"/> characters (strncmp).</summary>
    public static bool ASSERT_STRNEQ(string? actual, string? expected, int len, string name, [CallerMemberName] string func = "")
    {
        string a = Prefix(actual, len), e = Prefix(expected, len);
        return Report(actual is not null && expected is not null && a == e, func, name,
            $"unexpected {name}: actual '{a}' != expected '{e}'\n");
    }

    /// <summary>Passes when <paramref name="str"/> contains <paramref name="substr"/> (upstream's ASSERT_HAS_SUBSTR).</summary>
    public static bool ASSERT_HAS_SUBSTR(string? str, string? substr, string name, [CallerMemberName] string func = "") =>
        Report(str is not null && substr is not null && str.Contains(substr, StringComparison.Ordinal), func, name,
            $"unexpected {name}: '{substr ?? "(null)"}' is not a substring of '{str ?? "(null)"}'\n");

    // ---- results, pointers, fds --------------------------------------------------------------------

    /// <summary>Passes when <paramref name="res"/> is 0; the failure shows the last P/Invoke errno.</summary>
    public static bool ASSERT_OK(long res, string name, [CallerMemberName] string func = "")
    {
        int errno = Marshal.GetLastPInvokeError();
        return Report(res == 0, func, name, $"unexpected error: {res} (errno {errno})\n");
    }

    /// <summary>Passes when <paramref name="res"/> is negative, an error (upstream's ASSERT_ERR).</summary>
    public static bool ASSERT_ERR(long res, string name, [CallerMemberName] string func = "") =>
        Report(res < 0, func, name, $"unexpected success: {res}\n");

    /// <summary>
    /// Passes for any non-null reference. Unlike upstream, null always fails (upstream passes a NULL
    /// when errno happens to be 0); the printed error is -errno of the last P/Invoke, as libbpf_get_error.
    /// </summary>
    public static bool ASSERT_OK_PTR(object? ptr, string name, [CallerMemberName] string func = "")
    {
        int errno = Marshal.GetLastPInvokeError();
        return Report(ptr is not null, func, name, $"unexpected error: {-errno}\n");
    }

    /// <summary>Passes for null; a non-null value prints as %p would (hex for native pointers, else ToString).</summary>
    public static bool ASSERT_NULL(object? ptr, string name, [CallerMemberName] string func = "") =>
        Report(ptr is null, func, name, $"unexpected pointer: {Pointer(ptr)}\n");

    /// <summary>Passes when <paramref name="fd"/> is a valid descriptor, at least 0 (upstream's ASSERT_OK_FD).</summary>
    public static bool ASSERT_OK_FD(int fd, string name, [CallerMemberName] string func = "")
    {
        int errno = Marshal.GetLastPInvokeError();
        return Report(fd >= 0, func, name, $"unexpected fd: {fd} (errno {errno})\n");
    }

    /// <summary>Passes when <paramref name="fd"/> is negative (upstream's ASSERT_ERR_FD).</summary>
    public static bool ASSERT_ERR_FD(int fd, string name, [CallerMemberName] string func = "") =>
        Report(fd < 0, func, name, $"unexpected fd: {fd}\n");

    // ---- test and subtest control ------------------------------------------------------------------

    /// <summary>test__start_subtest(name): true when the subtest is selected and its body should run.</summary>
    public static bool test__start_subtest(string name) => TestRun.CurrentOrTransient().StartSubtest(name);

    /// <summary>Runs <paramref name="body"/> as a subtest (start, run, end); an exception fails only this subtest.</summary>
    public static void Subtest(string name, Action body) => TestRun.CurrentOrTransient().Subtest(name, body);

    /// <summary>test__skip(): skips the current subtest, or counts a test-level skip.</summary>
    public static void test__skip(string? reason = null) => TestRun.CurrentOrTransient().Skip(reason);

    /// <summary>test__fail(): an error on the current subtest, else on the test, without printing.</summary>
    public static void test__fail() => TestRun.CurrentOrTransient().Fail();

    /// <summary>test__force_log(): test_progs prints this test's logs even when it passes.</summary>
    public static void test__force_log() => TestRun.CurrentOrTransient().ForceLogs();

    /// <summary>Writes to the current test's log (what printf to stdout does inside a test_progs test).</summary>
    public static void printf(string text) => TestRun.CurrentOrTransient().Write(text);

    // ---- plumbing ----------------------------------------------------------------------------------

    private static bool Report(bool ok, string func, string tag, string failureBody)
    {
        Emit(!ok, ok ? $"{func}:PASS:{tag} 0 nsec\n" : $"{func}:FAIL:{tag} {failureBody}");
        return ok;
    }

    private static void Emit(bool fail, string line)
    {
        int savedErrno = Marshal.GetLastPInvokeError(); // the macros preserve errno; so do we
        var run = TestRun.CurrentOrTransient();
        if (fail)
            run.Fail(line);
        else
            run.Write(line);
        Marshal.SetLastPInvokeError(savedErrno);
    }

    private static string Terminated(string s) => s.EndsWith('\n') ? s : s + "\n";

    private static string Prefix(string? s, int len) => s is null ? "(null)" : s.Length <= len ? s : s[..len];

    private static string Pointer(object? p) => p switch
    {
        null => "(nil)",
        IntPtr ip => $"0x{ip:x}",
        UIntPtr up => $"0x{up:x}",
        _ => p.ToString() ?? p.GetType().Name,
    };
}
