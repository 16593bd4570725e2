using BpfHarness;
using NUnit.Framework;
using static BpfHarness.TP;

[assembly: BpfTestHarness]

namespace TestProgsFixture;

/// <summary>
/// One test per outcome test_progs distinguishes. Names sort (ordinal) into numbers 1..9:
/// exception_thrown, fail_basic, ignored_by_nunit, pass_basic, serial_pass, skip_basic, sleeper,
/// subtests_mixed, subtests_partial_skip. The end-to-end tests depend on the exact texts below.
/// </summary>
public class FixtureTests
{
    /// <summary>Seconds <see cref="sleeper"/> sleeps (default 0): set by the watchdog test.</summary>
    public const string SleepVariable = "TEST_PROGS_FIXTURE_SLEEP";

    [Test]
    public void exception_thrown() => throw new InvalidOperationException("boom");

    [Test]
    public void fail_basic()
    {
        printf("before\n");
        ASSERT_EQ(1, 2, "x");
    }

    [Test]
    public void ignored_by_nunit() => Assert.Ignore("not here");

    /// <summary>"1": <see cref="pass_basic"/> then crashes the process (an exception on a thread it starts).</summary>
    public const string CrashVariable = "TEST_PROGS_FIXTURE_CRASH";

    [Test]
    public void pass_basic()
    {
        ASSERT_EQ(1, 1, "same");
        if (Environment.GetEnvironmentVariable(CrashVariable) != "1")
            return;
        printf("crashing\n");
        var thread = new Thread(() => throw new InvalidOperationException("crash on a thread the test started"));
        thread.Start();
        thread.Join();
    }

    [Test]
    public void skip_basic() => test__skip();

    [Test]
    public void sleeper()
    {
        int seconds = int.TryParse(Environment.GetEnvironmentVariable(SleepVariable), out var s) ? s : 0;
        Subtest("nap", () => nap(seconds));
    }

    private static void nap(int seconds)
    {
        printf("napping\n");
        Thread.Sleep(TimeSpan.FromSeconds(seconds));
        ASSERT_TRUE(true, "woke");
    }

    [Test]
    public void subtests_mixed()
    {
        Subtest("one", sub_one);
        Subtest("two", sub_two);
        Subtest("three", () => test__skip());
    }

    private static void sub_one() => ASSERT_EQ(1, 1, "one");

    private static void sub_two() => ASSERT_EQ(3, 4, "y");

    [Test]
    public void subtests_partial_skip()
    {
        if (test__start_subtest("a"))
            ASSERT_TRUE(true, "a");
        if (test__start_subtest("b"))
            test__skip();
    }
}

/// <summary>test__force_log(): its logs are printed although it passes (number 10).</summary>
public class ForceLogFixtureTests
{
    [Test]
    public void verbose_by_force_log()
    {
        test__force_log();
        Subtest("s", () => printf("sub text\n"));
        ASSERT_TRUE(true, "forced");
    }
}

/// <summary>A serial_test_: never given to a -j worker, run by the main process after the others.</summary>
[NonParallelizable]
public class SerialFixtureTests
{
    [Test]
    public void serial_pass() => ASSERT_TRUE(true, "serial");
}
