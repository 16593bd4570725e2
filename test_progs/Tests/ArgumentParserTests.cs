using BpfHarness;
using BpfTests.TestProgs.Cli;
using NUnit.Framework;
using Shouldly;

namespace BpfTests.TestProgs.Tests;

/// <summary>Every flag of test_progs.md §1 with its parsing rule and exact error text.</summary>
public class ArgumentParserTests
{
    private static readonly Dictionary<string, string[]> Files = new()
    {
        ["list"] = ["# c", "  bad_struct_ops  # x", "", "   ", "foo/bar", "a,b"],
    };

    private static ParseResult Parse(params string[] args) => new ArgumentParser(Read, onlineCpus: 6).Parse(args);

    private static IEnumerable<string>? Read(string path, out int errno)
    {
        errno = Files.ContainsKey(path) ? 0 : 2;
        return Files.GetValueOrDefault(path);
    }

    private static Options Ok(params string[] args)
    {
        var r = Parse(args);
        r.Stderr.ShouldBe("");
        return r.Options.ShouldNotBeNull();
    }

    private static void Error(string[] args, string stderr, int exit)
    {
        var r = Parse(args);
        r.Options.ShouldBeNull();
        r.Stderr.ShouldBe(stderr);
        r.ExitCode.ShouldBe(exit);
    }

    [Test]
    public void Defaults_are_upstreams()
    {
        var o = Ok();
        o.Verbosity.ShouldBe(Verbosity.None);
        o.Workers.ShouldBe(0);
        o.WatchdogNotifySeconds.ShouldBe(10);
        o.WatchdogKillSeconds.ShouldBe(120);
        o.List.ShouldBeFalse();
        o.Count.ShouldBeFalse();
        o.JsonSummary.ShouldBeNull();
        o.Selector.Allow.IsEmpty.ShouldBeTrue();
    }

    [TestCase(new string[0], Verbosity.None, 0)]
    [TestCase(new[] { "-v" }, Verbosity.Normal, 0)]
    [TestCase(new[] { "-vv" }, Verbosity.Very, 1)]
    [TestCase(new[] { "-vvv" }, Verbosity.Super, 2)]
    [TestCase(new[] { "--verbose" }, Verbosity.Normal, 0)]
    [TestCase(new[] { "--verbose=vv" }, Verbosity.Super, 2)]
    [TestCase(new[] { "-vv", "-v" }, Verbosity.Normal, 1)]
    public void Verbosity_levels(string[] args, Verbosity level, int extraLogFlags)
    {
        var o = Ok(args);
        o.Verbosity.ShouldBe(level);
        if (level != Verbosity.Normal)
            o.ExtraProgLoadLogFlags.ShouldBe(extraLogFlags);
    }

    [Test]
    public void Verbosity_takes_only_an_attached_v_or_vv() =>
        Error(["-vvvv"], "Unrecognized verbosity setting ('vvv'), only -v and -vv are supported\n", 234);

    [Test]
    public void Verbose_with_a_bundled_option_reads_it_as_its_level() =>
        Error(["-vl"], "Unrecognized verbosity setting ('l'), only -v and -vv are supported\n", 234);

    [Test]
    public void Verbose_level_is_never_the_next_word() =>
        Parse("-v", "vv").ExitCode.ShouldBe(64); // "vv" is a positional argument

    [Test]
    public void Workers_default_to_online_cpus_and_take_an_attached_count()
    {
        Ok("-j").Workers.ShouldBe(6);
        Ok("-j3").Workers.ShouldBe(3);
        Ok("--workers=2").Workers.ShouldBe(2);
        Ok("-j4x").Workers.ShouldBe(4); // atoi
    }

    [TestCase("-j0", "Invalid number of worker: 0.")]
    [TestCase("-jx", "Invalid number of worker: x.")]
    [TestCase("--workers=0", "Invalid number of worker: 0.")]
    public void Zero_workers_is_an_error_without_newline(string arg, string stderr) => Error([arg], stderr, 234);

    [Test]
    public void Watchdog_timeout_sets_kill_and_a_short_one_drops_the_notice()
    {
        var o = Ok("-w", "600");
        (o.WatchdogKillSeconds, o.WatchdogNotifySeconds).ShouldBe((600, 10));
        o = Ok("-w5");
        (o.WatchdogKillSeconds, o.WatchdogNotifySeconds).ShouldBe((5, 0));
        o = Ok("--watchdog-timeout=0");
        o.WatchdogKillSeconds.ShouldBe(0);
        Error(["-w", "-1"], "Invalid watchdog timeout: -1.\n", 234);
    }

    [Test]
    public void Flags_without_arguments()
    {
        Ok("-l").List.ShouldBeTrue();
        Ok("-c").Count.ShouldBeTrue();
        Ok("-s").VerifierStats.ShouldBeTrue();
        Ok("--debug").Debug.ShouldBeTrue();
        var o = Ok("-lcs");
        (o.List, o.Count, o.VerifierStats).ShouldBe((true, true, true));
        Ok("-J", "out.json").JsonSummary.ShouldBe("out.json");
        Ok("-Jout.json").JsonSummary.ShouldBe("out.json");
        Ok("--json-summary=o.json").JsonSummary.ShouldBe("o.json");
    }

    [Test]
    public void Num_lists_and_subtest_numbers()
    {
        var s = Ok("-n", "1,3-5").Selector;
        s.TestNumbers!.Order().ShouldBe([1, 3, 4, 5]);
        s.SubtestNumbers.ShouldBeNull();
        s = Ok("-n", "5/2,4").Selector;
        s.TestNumbers!.ShouldBe([5]);
        s.SubtestNumbers!.Order().ShouldBe([2, 4]);
        Ok("-n", "1", "-n", "2").Selector.TestNumbers!.ShouldBe([2]); // a later -n replaces the set
    }

    [TestCase("3-1", "Failed to parse test numbers.\n")]
    [TestCase("1-", "Failed to parse test numbers.\n")]
    [TestCase("x", "Failed to parse test numbers.\n")]
    [TestCase("", "Failed to parse test numbers.\n")]
    [TestCase("1-2-3", "Failed to parse test numbers.\n")]
    [TestCase("1/2-", "Failed to parse subtest numbers.\n")]
    [TestCase("x/1", "Failed to parse test numbers.\n")]
    public void Bad_num_lists(string arg, string stderr) => Error(["-n", arg], stderr, 234);

    [Test]
    public void Name_lists_wrap_substrings_and_allow_lists_are_globs()
    {
        var s = Ok("-t", "foo,bar/baz", "-a", "x*", "-b", "q", "-d", "d/e").Selector;
        s.Allow.Entries.Select(e => (e.TestPattern, string.Join('|', e.SubtestPatterns)))
            .ShouldBe([("*foo*", ""), ("*bar*", "*baz*"), ("x*", "")]);
        s.Deny.Entries.Select(e => (e.TestPattern, string.Join('|', e.SubtestPatterns)))
            .ShouldBe([("*q*", ""), ("d", "e")]);
    }

    [Test]
    public void Repeated_test_patterns_merge_their_subtests()
    {
        var s = Ok("-a", "foo", "-a", "foo/bar", "--allow=foo/baz").Selector;
        s.Allow.Entries.Count.ShouldBe(1);
        s.Allow.Entries[0].SubtestPatterns.ShouldBe(["bar", "baz"]);
    }

    [Test]
    public void Empty_items_between_commas_vanish() =>
        Ok("-a", ",a,,b,").Selector.Allow.Entries.Select(e => e.TestPattern).ShouldBe(["a", "b"]);

    [Test]
    public void File_lists_skip_comments_and_blanks_and_do_not_split_commas()
    {
        var s = Ok("-a", "@list").Selector;
        s.Allow.Entries.Select(e => e.TestPattern).ShouldBe(["bad_struct_ops", "foo", "a,b"]);
        s.Allow.Entries[1].SubtestPatterns.ShouldBe(["bar"]);
        Ok("-t", "@list").Selector.Allow.Entries[0].TestPattern.ShouldBe("*bad_struct_ops*");
    }

    [Test]
    public void At_is_a_file_only_at_the_start_of_the_argument() =>
        Ok("-a", "foo,@list").Selector.Allow.Entries.Select(e => e.TestPattern).ShouldBe(["foo", "@list"]);

    [Test]
    public void A_missing_list_file_fails_with_the_negative_errno() =>
        Error(["-d", "@nope"], "Failed to open 'nope': -2\n", 254);

    [Test]
    public void Positional_arguments_are_usage_errors() =>
        Error(["foo"], "Usage: test_progs [OPTION...]\nTry `test_progs --help' or `test_progs --usage' for more information.\n", 64);

    [TestCase(new[] { "-x" }, "test_progs: invalid option -- 'x'\n")]
    [TestCase(new[] { "--frobnicate" }, "test_progs: unrecognized option '--frobnicate'\n")]
    [TestCase(new[] { "-n" }, "test_progs: option requires an argument -- 'n'\n")]
    [TestCase(new[] { "--allow" }, "test_progs: option '--allow' requires an argument\n")]
    [TestCase(new[] { "--list=3" }, "test_progs: option '--list' doesn't allow an argument\n")]
    [TestCase(new[] { "--n=1" }, "test_progs: option '--n' is ambiguous; possibilities: '--num' '--name' '--name-blacklist'\n")]
    public void Getopt_errors_exit_64(string[] args, string message) =>
        Error(args, message + "Try `test_progs --help' or `test_progs --usage' for more information.\n", 64);

    [Test]
    public void Long_options_may_be_abbreviated_and_take_separate_arguments()
    {
        Ok("--verb").Verbosity.ShouldBe(Verbosity.Normal);
        Ok("--allow", "x").Selector.Allow.Entries[0].TestPattern.ShouldBe("x");
        Ok("--name-b=y").Selector.Deny.Entries[0].TestPattern.ShouldBe("*y*");
    }

    [Test]
    public void Double_dash_ends_options_and_anything_after_is_positional()
    {
        Ok("-l", "--").List.ShouldBeTrue();
        Parse("--", "-l").ExitCode.ShouldBe(64);
    }

    [Test]
    public void Version_and_help_print_and_exit_0()
    {
        var v = Parse("--version");
        (v.Stdout, v.ExitCode).ShouldBe(("test_progs 0.1\n", 0));
        var h = Parse("--help");
        h.ExitCode.ShouldBe(0);
        h.Stdout.ShouldStartWith("Usage: test_progs [OPTION...]\nBPF selftests test runner\n");
        h.Stdout.ShouldContain("  -a, --allow=NAMES");
        h.Stdout.ShouldContain("Report bugs to <bpf@vger.kernel.org>.\n");
        Parse("-?").Stdout.ShouldBe(h.Stdout);
    }

    [TestCase("12", 12)]
    [TestCase(" +7x", 7)]
    [TestCase("-3", -3)]
    [TestCase("abc", 0)]
    [TestCase("", 0)]
    public void Atoi_as_C(string s, int v) => ArgumentParser.Atoi(s).ShouldBe(v);
}
