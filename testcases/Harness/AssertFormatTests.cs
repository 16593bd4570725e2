using BpfHarness;
using NUnit.Framework;
using Shouldly;
using static BpfHarness.TP;

namespace BpfTests.Harness;

/// <summary>
/// The ASSERT helpers print exactly what test_progs.h prints. Each check runs in a detached TestRun so
/// failing assertions fail only that run, and the run's log is compared byte for byte.
/// </summary>
public class AssertFormatTests
{
    // Upstream-style function names: they become the "func" prefix of every line.
    private static string Log(Action body) => TestRun.RunDetached("asserts", body).Output;

    [Test]
    public void Pass_line_is_func_PASS_name_0_nsec()
    {
        Log(check_pass).ShouldBe("check_pass:PASS:three 0 nsec\n");
    }

    [Test]
    public void Integer_comparison_failure_bodies()
    {
        Log(cmp).ShouldBe(
            "cmp:FAIL:eq unexpected eq: actual 1 != expected 2\n" +
            "cmp:FAIL:neq unexpected neq: actual 2 == expected 2\n" +
            "cmp:FAIL:lt unexpected lt: actual 3 >= expected 2\n" +
            "cmp:FAIL:le unexpected le: actual 3 > expected 2\n" +
            "cmp:FAIL:gt unexpected gt: actual -5 <= expected 2\n" +
            "cmp:FAIL:ge unexpected ge: actual 1 < expected 2\n");
    }

    [Test]
    public void Unsigned_values_compare_unsigned_but_print_as_signed_64_bit()
    {
        Log(u64).ShouldBe("u64:FAIL:u64 unexpected u64: actual -1 != expected 0\nu64:PASS:u64_gt 0 nsec\n");
    }

    [Test]
    public void Bool_string_and_fd_failure_bodies()
    {
        Log(misc).ShouldBe(
            "misc:FAIL:t unexpected t: got FALSE\n" +
            "misc:FAIL:f unexpected f: got TRUE\n" +
            "misc:FAIL:s unexpected s: actual 'abc' != expected 'abd'\n" +
            "misc:FAIL:sn unexpected sn: actual '(null)' != expected 'x'\n" +
            "misc:FAIL:sub unexpected sub: 'bye' is not a substring of 'libbpf: hello'\n" +
            "misc:FAIL:err unexpected success: 5\n" +
            "misc:FAIL:errfd unexpected fd: 3\n" +
            "misc:FAIL:null unexpected pointer: obj\n" +
            "misc:FAIL: went wrong: 42\n");
    }

    [Test]
    public void Errno_carrying_bodies_match_the_format()
    {
        Log(errs).ShouldMatch(@"\Aerrs:FAIL:ok unexpected error: -22 \(errno -?\d+\)\nerrs:FAIL:fd unexpected fd: -1 \(errno -?\d+\)\n\z");
    }

    [Test]
    public void Ok_ptr_fails_on_null_whatever_errno_is()
    {
        // Upstream quirk (spec §15 #7): ASSERT_OK_PTR(NULL) passes when errno is 0. Here null always fails.
        System.Runtime.InteropServices.Marshal.SetLastPInvokeError(0);
        var run = TestRun.RunDetached("ptr", () => { ASSERT_OK_PTR(null, "skel_open", "ptr"); ASSERT_OK_PTR(new object(), "other", "ptr"); });
        run.Output.ShouldBe("ptr:FAIL:skel_open unexpected error: 0\nptr:PASS:other 0 nsec\n");
        run.ErrorCount.ShouldBe(1);
    }

    [Test]
    public void Asserts_return_their_verdict_and_the_test_continues()
    {
        bool first = true, second = false;
        var run = TestRun.RunDetached("cont", () => { first = ASSERT_EQ(1, 2, "a"); second = ASSERT_EQ(2, 2, "b"); });
        first.ShouldBeFalse();
        second.ShouldBeTrue();
        run.ErrorCount.ShouldBe(1);
        run.Result.ShouldBe("FAIL");
        run.Failures.ShouldBe(["Asserts_return_their_verdict_and_the_test_continues:FAIL:a unexpected a: actual 1 != expected 2"]);
    }

    [Test]
    public void Func_can_be_overridden_to_keep_the_upstream_function_name()
    {
        Log(() => ASSERT_TRUE(true, "load", func: "cant_load_full_object")).ShouldBe("cant_load_full_object:PASS:load 0 nsec\n");
    }

    [Test]
    public void Print_fail_and_check_fail_carry_the_line_number()
    {
        int line = 0;
        var output = Log(() => { (line, _) = (Line(), 0); PRINT_FAIL("bad thing\n", "fn", line); CHECK_FAIL(true, "fn", line); });
        output.ShouldBe($"fn:FAIL:{line} bad thing\nfn:FAIL:{line}\n");
    }

    [Test]
    public void Check_fails_when_its_condition_is_true()
    {
        Log(() => { CHECK(true, "tag", "value %d was 7", "chk"); CHECK(false, "tag2", "n/a", "chk"); })
            .ShouldBe("chk:FAIL:tag value %d was 7\nchk:PASS:tag2 0 nsec\n");
    }

    // Upstream-style helpers. They must be methods: in a C# local function or lambda,
    // [CallerMemberName] yields the enclosing method's name, not the local function's.
    private static void check_pass() => ASSERT_EQ(3, 3, "three");

    private static void cmp()
    {
        ASSERT_EQ(1, 2, "eq");
        ASSERT_NEQ(2, 2, "neq");
        ASSERT_LT(3, 2, "lt");
        ASSERT_LE(3, 2, "le");
        ASSERT_GT(-5, 2, "gt");
        ASSERT_GE(1, 2, "ge");
    }

    private static void u64()
    {
        ASSERT_EQ(ulong.MaxValue, 0UL, "u64");
        ASSERT_GT(ulong.MaxValue, 1UL, "u64_gt");
    }

    private static void misc()
    {
        ASSERT_TRUE(false, "t");
        ASSERT_FALSE(true, "f");
        ASSERT_STREQ("abc", "abd", "s");
        ASSERT_STREQ(null, "x", "sn");
        ASSERT_HAS_SUBSTR("libbpf: hello", "bye", "sub");
        ASSERT_ERR(5, "err");
        ASSERT_ERR_FD(3, "errfd");
        ASSERT_NULL("obj", "null");
        ASSERT_FAIL("went wrong: 42");
    }

    private static void errs()
    {
        ASSERT_OK(-22, "ok");
        ASSERT_OK_FD(-1, "fd");
    }

    private static void in_lambda_helper() => Log(() => ASSERT_TRUE(true, "x")).ShouldBe("in_lambda_helper:PASS:x 0 nsec\n");

    [Test]
    public void Func_in_a_lambda_is_the_enclosing_method() => in_lambda_helper();

    private static int Line([System.Runtime.CompilerServices.CallerLineNumber] int line = 0) => line;
}
