using BpfTests.TestProgs.Cli;
using BpfTests.TestProgs.Selection;
using NUnit.Framework;
using Shouldly;

namespace BpfTests.TestProgs.Tests;

/// <summary>test_progs.md §3: globs, number lists, test- and subtest-level decisions, the §3.7 examples.</summary>
public class SelectionTests
{
    private static Selector Sel(params string[] args)
    {
        var r = new ArgumentParser(Read, 1).Parse(args);
        return r.Options.ShouldNotBeNull(r.Stderr).Selector;
    }

    private static IEnumerable<string>? Read(string path, out int errno)
    {
        errno = 0;
        return path == "file" ? ["# c", "  bad_struct_ops  # x", ""] : null;
    }

    private static readonly TestRegistry Registry = new(
        new[] { "struct_ops_autocreate", "bad_struct_ops", "struct_ops_module", "btf_dump", "X" }.Select(n => (n, "F." + n, false)));

    private static string[] Selected(params string[] args) => Registry.Selected(Sel(args)).Select(t => t.Name).ToArray();

    [TestCase("abc", "abc", true)]
    [TestCase("abc", "a*", true)]
    [TestCase("abc", "*c", true)]
    [TestCase("abc", "*b*", true)]
    [TestCase("abc", "*", true)]
    [TestCase("", "*", true)]
    [TestCase("abc", "b", false)]
    [TestCase("abc", "ab", false)]
    [TestCase("abc", "a?c", false)]
    [TestCase("a?c", "a?c", true)]
    [TestCase("a[b]c", "a[b]c", true)]
    [TestCase("aXbXc", "a*b*c", true)]
    [TestCase("abcbc", "a*bc", true)]
    [TestCase("abcbd", "a*bc", false)]
    public void Glob_only_star_is_special_and_the_whole_name_must_match(string text, string pattern, bool match) =>
        Glob.Match(text, pattern).ShouldBe(match);

    [Test]
    public void Numbering_is_the_ordinal_position_of_the_name() =>
        Registry.Tests.Select(t => $"{t.Number}:{t.Name}").ShouldBe(
            ["1:X", "2:bad_struct_ops", "3:btf_dump", "4:struct_ops_autocreate", "5:struct_ops_module"]);

    [Test]
    public void Same_name_in_two_fixtures_gets_consecutive_numbers_by_full_name()
    {
        var r = new TestRegistry([("t", "B.t", false), ("t", "A.t", true), ("s", "Z.s", false)]);
        r.Tests.Select(t => (t.Number, t.FullName)).ShouldBe([(1, "Z.s"), (2, "A.t"), (3, "B.t")]);
    }

    [Test]
    public void Section_3_7_examples()
    {
        Selected("-t", "autocreate").ShouldBe(["struct_ops_autocreate"]);
        Selected("-a", "autocreate").ShouldBeEmpty();
        Selected("-a", "struct_ops_auto*").ShouldBe(["struct_ops_autocreate"]);
        Selected("-a", "X", "-d", "X").ShouldBeEmpty();
        Selected("-a", "@file").ShouldBe(["bad_struct_ops"]);
        var s = Sel("-a", "struct_ops_autocreate/optional_maps");
        s.SelectsTest("struct_ops_autocreate", 4).ShouldBeTrue();
        s.SelectsSubtest("struct_ops_autocreate", "optional_maps", 4).ShouldBeTrue();
        s.SelectsSubtest("struct_ops_autocreate", "cant_load_full_object", 1).ShouldBeFalse();
        s = Sel("-d", "struct_ops_autocreate/cant*");
        s.SelectsTest("struct_ops_autocreate", 4).ShouldBeTrue(); // a deny entry with subtests never denies the test
        s.SelectsSubtest("struct_ops_autocreate", "cant_load_full_object", 1).ShouldBeFalse();
        s.SelectsSubtest("struct_ops_autocreate", "optional_maps", 4).ShouldBeTrue();
    }

    [Test]
    public void Nothing_given_selects_everything() => Selected().Length.ShouldBe(5);

    [Test]
    public void Allow_entries_and_numbers_are_ored_and_deny_wins_over_both()
    {
        Selected("-a", "btf_dump", "-n", "1").ShouldBe(["X", "btf_dump"]);
        Selected("-n", "1-3", "-d", "X").ShouldBe(["bad_struct_ops", "btf_dump"]);
        Selected("-n", "2", "-b", "struct").ShouldBeEmpty();
    }

    [Test]
    public void Substring_deny_and_allow()
    {
        Selected("-b", "struct_ops").ShouldBe(["X", "btf_dump"]);
        Selected("-t", "ops", "-b", "bad").ShouldBe(["struct_ops_autocreate", "struct_ops_module"]);
    }

    [Test]
    public void Subtest_numbers_are_global_and_count_every_start()
    {
        var s = Sel("-n", "4/2");
        s.SelectsSubtest("struct_ops_autocreate", "first", 1).ShouldBeFalse();
        s.SelectsSubtest("struct_ops_autocreate", "second", 2).ShouldBeTrue();
        s.SelectsSubtest("anything", "second", 2).ShouldBeTrue();
    }

    [Test]
    public void Test_numbers_alone_run_every_subtest() =>
        Sel("-n", "4").SelectsSubtest("struct_ops_autocreate", "x", 7).ShouldBeTrue();

    [Test]
    public void An_allow_entry_matching_the_test_but_not_the_subtest_filters_it()
    {
        var s = Sel("-t", "autocreate/maps", "-a", "btf_dump");
        s.SelectsSubtest("struct_ops_autocreate", "optional_maps", 1).ShouldBeTrue();
        s.SelectsSubtest("struct_ops_autocreate", "other", 2).ShouldBeFalse();
        s.SelectsSubtest("btf_dump", "any", 1).ShouldBeTrue(); // entry without subtests
    }

    [Test]
    public void Subtest_deny_without_subtest_patterns_denies_every_subtest() =>
        Sel("-d", "btf*").SelectsSubtest("btf_dump", "x", 1).ShouldBeFalse();

    [Test]
    public void File_lines_are_trimmed_and_commented()
    {
        TestList.FileItems(["  a  # c", "#x", "", "\tb/c\t", "d,e"]).ShouldBe(["a", "b/c", "d,e"]);
    }

    [TestCase("1", new[] { 1 })]
    [TestCase("1,3-5", new[] { 1, 3, 4, 5 })]
    [TestCase("2-2", new[] { 2 })]
    [TestCase(" 7", new[] { 7 })]
    [TestCase("1,", new[] { 1 })]
    [TestCase("1,,2", new[] { 0, 1, 2 })]
    public void Number_lists(string text, int[] expected) => NumberList.Parse(text)!.Order().ShouldBe(expected);

    [TestCase("")]
    [TestCase("5-3")]
    [TestCase("1-")]
    [TestCase("-")]
    [TestCase("a")]
    [TestCase("1x")]
    [TestCase("1-2-3")]
    [TestCase("-3")]
    public void Bad_number_lists(string text) => NumberList.Parse(text).ShouldBeNull();
}
