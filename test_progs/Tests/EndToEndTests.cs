using NUnit.Framework;
using Shouldly;

namespace BpfTests.TestProgs.Tests;

/// <summary>
/// The built test_progs over the fixture (tests numbered 1 exception_thrown, 2 fail_basic,
/// 3 ignored_by_nunit, 4 pass_basic, 5 serial_pass, 6 skip_basic, 7 sleeper, 8 subtests_mixed,
/// 9 subtests_partial_skip, 10 verbose_by_force_log): stdout, JSON and exit codes byte for byte where the spec fixes them.
/// </summary>
[Parallelizable(ParallelScope.Children)]
public class EndToEndTests
{
    private const string DefaultBody =
        "before\n" +
        "fail_basic:FAIL:x unexpected x: actual 1 != expected 2\n" +
        "#2       fail_basic:FAIL\n" +
        "#3       ignored_by_nunit:SKIP\n" +
        "#4       pass_basic:OK\n" +
        "#5       serial_pass:OK\n" +
        "#6       skip_basic:SKIP\n" +
        "#7/1     sleeper/nap:OK\n" +
        "#7       sleeper:OK\n" +
        "#8/1     subtests_mixed/one:OK\n" +
        "sub_two:FAIL:y unexpected y: actual 3 != expected 4\n" +
        "#8/2     subtests_mixed/two:FAIL\n" +
        "#8/3     subtests_mixed/three:SKIP\n" +
        "#8       subtests_mixed:FAIL\n" +
        "#9/1     subtests_partial_skip/a:OK\n" +
        "#9/2     subtests_partial_skip/b:SKIP\n" +
        "#9       subtests_partial_skip:OK (SKIP: 1/2)\n" +
        "verbose_by_force_log:PASS:forced 0 nsec\n" +
        "sub text\n" +
        "#10/1    verbose_by_force_log/s:OK\n" +
        "#10      verbose_by_force_log:OK\n" +
        "\n" +
        "All error logs:\n" +
        "before\n" +
        "fail_basic:FAIL:x unexpected x: actual 1 != expected 2\n" +
        "#2       fail_basic:FAIL\n" +
        "sub_two:FAIL:y unexpected y: actual 3 != expected 4\n" +
        "#8/2     subtests_mixed/two:FAIL\n" +
        "#8       subtests_mixed:FAIL\n" +
        "Summary: 7/4 PASSED, 4 SKIPPED, 2 FAILED\n";

    private const string DefaultJson =
        "{\"success\":7,\"success_subtest\":4,\"skipped\":4,\"failed\":2,\"results\":[" +
        "{\"name\":\"fail_basic\",\"number\":2,\"message\":\"before\\nfail_basic:FAIL:x unexpected x: actual 1 != expected 2\\n\",\"failed\":true,\"subtests\":[]}," +
        "{\"name\":\"subtests_mixed\",\"number\":8,\"message\":\"\",\"failed\":true,\"subtests\":[" +
        "{\"name\":\"two\",\"number\":2,\"message\":\"sub_two:FAIL:y unexpected y: actual 3 != expected 4\\n\",\"failed\":true}]}]}\n";

    [Test]
    public void A_sequential_run_prints_upstreams_lines_error_logs_summary_and_json()
    {
        var r = TestProgsProcess.Run(["-d", "exception_thrown", "-J", "out.json"]);
        r.Body.ShouldBe(DefaultBody);
        r.ExitCode.ShouldBe(1);
        File.ReadAllText(Path.Combine(r.WorkDir, "out.json")).ShouldBe(DefaultJson);
        r.Stderr.ShouldBe("WARNING! Selftests relying on bpf_testmod.ko will be skipped.\n");
    }

    [Test]
    public void Parallel_workers_give_the_same_lines_summary_json_and_exit_code()
    {
        var seq = TestProgsProcess.Run(["-d", "exception_thrown", "-J", "out.json"]);
        var par = TestProgsProcess.Run(["-d", "exception_thrown", "-J", "out.json", "-j3"]);
        Lines(par.Body).ShouldBe(Lines(seq.Body));
        par.Body.ShouldEndWith("Summary: 7/4 PASSED, 4 SKIPPED, 2 FAILED\n");
        par.Body.ShouldContain(DefaultBody[DefaultBody.IndexOf("\nAll error logs:\n", StringComparison.Ordinal)..]);
        par.ExitCode.ShouldBe(seq.ExitCode);
        File.ReadAllText(Path.Combine(par.WorkDir, "out.json")).ShouldBe(DefaultJson);
        // the serial test runs in the main process after every worker result
        var body = par.Body;
        body.IndexOf("#5       serial_pass:OK\n", StringComparison.Ordinal)
            .ShouldBeGreaterThan(body.IndexOf("#9       subtests_partial_skip:OK (SKIP: 1/2)\n", StringComparison.Ordinal));
    }

    [Test]
    public void On_the_real_suite_workers_give_the_same_lines_and_summary()
    {
        // a part of the host suite that runs in seconds: BTF tests against the running kernel, some serial
        string[] args = ["-t", "Btf", "-b", "FindByName,Mutating", "-J", "out.json"];
        var seq = TestProgsProcess.Run(args, fixture: false);
        var par = TestProgsProcess.Run([.. args, "-j2"], fixture: false);
        seq.Body.ShouldContain("Summary: ");
        Lines(par.Body).ShouldBe(Lines(seq.Body));
        par.ExitCode.ShouldBe(seq.ExitCode);
        File.ReadAllText(Path.Combine(par.WorkDir, "out.json")).ShouldBe(File.ReadAllText(Path.Combine(seq.WorkDir, "out.json")));
    }

    [Test]
    public void Under_BPFTESTS_NO_SKIP_a_closed_gate_is_a_FAIL_as_in_vmtest()
    {
        // the host has no bpf_testmod: this test's gate is closed; vmtest runs every kernel with BPFTESTS_NO_SKIP=1
        string[] args = ["-a", "RegisteringBpfTestmodOpsRunsTest1AndTest2ThroughReg"];
        var skip = TestProgsProcess.Run(args, fixture: false);
        skip.Body.ShouldMatch(@"^#\d+ +RegisteringBpfTestmodOpsRunsTest1AndTest2ThroughReg:SKIP\nSummary: 1/0 PASSED, 1 SKIPPED, 0 FAILED\n$");
        skip.ExitCode.ShouldBe(0);
        var fail = TestProgsProcess.Run(args, new Dictionary<string, string> { ["BPFTESTS_NO_SKIP"] = "1" }, fixture: false);
        fail.Body.ShouldContain("(BPFTESTS_NO_SKIP=1: in vmtest, a skip on a kernel that should have the feature fails)\n");
        fail.Body.ShouldEndWith("RegisteringBpfTestmodOpsRunsTest1AndTest2ThroughReg:FAIL\nSummary: 0/0 PASSED, 0 SKIPPED, 1 FAILED\n");
        fail.ExitCode.ShouldBe(1);
    }

    [Test]
    public void The_vmtest_deny_lists_apply_as_d_at_file()
    {
        var repo = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(TestProgsProcess.Executable)!, "../../../.."));
        var all = TestProgsProcess.Run(["-l"], fixture: false).Stdout.Split('\n');
        var denied = TestProgsProcess.Run(["-l", "-d", "@" + Path.Combine(repo, "vmtest", "DENYLIST"), "-d", "@" + Path.Combine(repo, "vmtest", "DENYLIST.tcg")],
            fixture: false).Stdout.Split('\n');
        all.ShouldContain("FindByNameReturnsLowestIdOfEachKind");
        denied.ShouldNotContain("FindByNameReturnsLowestIdOfEachKind");
        denied.ShouldNotContain("MutatingLoadedFileCopiesOnWrite");
        denied.ShouldBeSubsetOf(all);
    }

    private static string[] Lines(string s) => s.Split('\n').Order(StringComparer.Ordinal).ToArray();

    [Test]
    public void Asked_for_every_test_the_json_adds_a_tests_array_keyed_by_fixture_and_name()
    {
        var env = new Dictionary<string, string> { ["TEST_PROGS_JSON_TESTS"] = "1" };
        string[] args = ["-a", "ignored_by_nunit,pass_basic,subtests_mixed", "-J", "out.json"];
        foreach (var r in new[] { TestProgsProcess.Run(args, env), TestProgsProcess.Run([.. args, "-j2"], env) })
        {
            using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(r.WorkDir, "out.json")));
            var root = doc.RootElement;
            root.GetProperty("results").GetArrayLength().ShouldBe(1, "results keeps upstream's meaning: the failed tests");
            var tests = root.GetProperty("tests").EnumerateArray().ToList();
            tests.Select(t => t.GetProperty("name").GetString()).ShouldBe(["ignored_by_nunit", "pass_basic", "subtests_mixed"]);
            tests.Select(t => t.GetProperty("number").GetInt32()).ShouldBe([3, 4, 8]);
            tests.ShouldAllBe(t => t.GetProperty("fixture").GetString() == "TestProgsFixture.FixtureTests");
            tests.Select(t => t.GetProperty("result").GetString()).ShouldBe(["SKIP", "OK", "FAIL"]);
            tests[0].GetProperty("reason").GetString().ShouldBe("not here");
            tests[1].TryGetProperty("reason", out _).ShouldBeFalse();
            tests[1].GetProperty("log").GetString().ShouldBe("pass_basic:PASS:same 0 nsec\n#4       pass_basic:OK\n");
            tests[2].GetProperty("log").GetString().ShouldBe(
                "sub_one:PASS:one 0 nsec\n#8/1     subtests_mixed/one:OK\n" +
                "sub_two:FAIL:y unexpected y: actual 3 != expected 4\n#8/2     subtests_mixed/two:FAIL\n" +
                "#8/3     subtests_mixed/three:SKIP\n#8       subtests_mixed:FAIL\n");
            tests.ShouldAllBe(t => t.GetProperty("seconds").GetDouble() >= 0);
        }
    }

    [Test]
    public void Verbose_streams_every_log_and_prints_no_error_section()
    {
        var r = TestProgsProcess.Run(["-v", "-a", "pass_basic,subtests_partial_skip,fail_basic", "-J", "v.json"]);
        r.Body.ShouldBe(
            "before\n" +
            "fail_basic:FAIL:x unexpected x: actual 1 != expected 2\n" +
            "#2       fail_basic:FAIL\n" +
            "pass_basic:PASS:same 0 nsec\n" +
            "#4       pass_basic:OK\n" +
            "subtests_partial_skip:PASS:a 0 nsec\n" +
            "#9/1     subtests_partial_skip/a:OK\n" +
            "#9/2     subtests_partial_skip/b:SKIP\n" +
            "#9       subtests_partial_skip:OK (SKIP: 1/2)\n" +
            "Summary: 2/1 PASSED, 1 SKIPPED, 1 FAILED\n");
        r.Stdout.ShouldContain("Loading bpf_testmod.ko...\n");
        File.ReadAllText(Path.Combine(r.WorkDir, "v.json")).ShouldBe("{\"success\":2,\"success_subtest\":1,\"skipped\":1,\"failed\":1,\"results\":[]}\n");
        r.ExitCode.ShouldBe(1);
    }

    [Test]
    public void List_prints_selected_names_without_touching_bpf_testmod()
    {
        var r = TestProgsProcess.Run(["-l", "-a", "sub*", "-J", "l.json"]);
        r.Stdout.ShouldBe("subtests_mixed\nsubtests_partial_skip\n");
        r.Stderr.ShouldBe("");
        r.ExitCode.ShouldBe(0);
        File.ReadAllText(Path.Combine(r.WorkDir, "l.json")).ShouldBe(""); // created, never written
    }

    [Test]
    public void Count_prints_the_number_and_reloads_bpf_testmod()
    {
        var r = TestProgsProcess.Run(["-c", "-t", "sub"]);
        r.Body.ShouldBe("2\n");
        r.Stdout.ShouldNotBe(r.Body);
        r.ExitCode.ShouldBe(0);
        TestProgsProcess.Run(["-c", "-a", "none"]).ExitCode.ShouldBe(2);
    }

    [Test]
    public void Nothing_selected_exits_2_and_deny_wins()
    {
        var r = TestProgsProcess.Run(["-a", "pass_basic", "-d", "pass_basic"]);
        r.Body.ShouldBe("Summary: 0/0 PASSED, 0 SKIPPED, 0 FAILED\n");
        r.ExitCode.ShouldBe(2);
    }

    [Test]
    public void Subtest_selection_by_name_and_number()
    {
        var r = TestProgsProcess.Run(["-a", "subtests_mixed/two"]);
        r.Body.ShouldBe(
            "sub_two:FAIL:y unexpected y: actual 3 != expected 4\n#8/2     subtests_mixed/two:FAIL\n#8       subtests_mixed:FAIL\n" +
            "\nAll error logs:\n" +
            "sub_two:FAIL:y unexpected y: actual 3 != expected 4\n#8/2     subtests_mixed/two:FAIL\n#8       subtests_mixed:FAIL\n" +
            "Summary: 0/0 PASSED, 0 SKIPPED, 1 FAILED\n");
        r.ExitCode.ShouldBe(1);

        r = TestProgsProcess.Run(["-n", "4,9/2"]);
        r.Body.ShouldBe(
            "#4       pass_basic:OK\n#9/2     subtests_partial_skip/b:SKIP\n#9       subtests_partial_skip:OK (SKIP: 1/2)\n" +
            "Summary: 2/0 PASSED, 1 SKIPPED, 0 FAILED\n");
        r.ExitCode.ShouldBe(0);

        r = TestProgsProcess.Run(["-d", "subtests_mixed/t*", "-t", "mixed"]);
        r.Body.ShouldBe("#8/1     subtests_mixed/one:OK\n#8       subtests_mixed:OK\nSummary: 1/1 PASSED, 0 SKIPPED, 0 FAILED\n");
    }

    [Test]
    public void Allow_file_lists_select_by_line()
    {
        var dir = Directory.CreateTempSubdirectory("test_progs-e2e-").FullName;
        File.WriteAllText(Path.Combine(dir, "allow"), "# c\n  pass_basic  # x\n\nskip_b*\n");
        var r = TestProgsProcess.Run(["-a", "@allow"], workDir: dir);
        r.Body.ShouldBe("#4       pass_basic:OK\n#6       skip_basic:SKIP\nSummary: 2/0 PASSED, 1 SKIPPED, 0 FAILED\n");
    }

    [Test]
    public void An_exception_fails_the_test_with_nunits_message_in_its_log()
    {
        var r = TestProgsProcess.Run(["-a", "exception_thrown"]);
        r.Body.ShouldStartWith("System.InvalidOperationException : boom\n");
        r.Body.ShouldContain("#1       exception_thrown:FAIL\n\nAll error logs:\nSystem.InvalidOperationException : boom\n");
        r.Body.ShouldEndWith("#1       exception_thrown:FAIL\nSummary: 0/0 PASSED, 0 SKIPPED, 1 FAILED\n");
        r.ExitCode.ShouldBe(1);
    }

    [Test]
    public void The_watchdog_ends_a_stuck_test_as_FAIL_with_its_log_and_goes_on()
    {
        var r = TestProgsProcess.Run(["-a", "sleeper,subtests_partial_skip", "-w", "2"],
            new Dictionary<string, string> { ["TEST_PROGS_FIXTURE_SLEEP"] = "600" });
        r.Stderr.ShouldContain("WATCHDOG: test case sleeper/nap executes for 2 seconds, terminating with SIGSEGV\nCaught signal #11!\nStack trace:\n");
        r.Stderr.ShouldNotContain("executes for 2 seconds...\n"); // -w below 10 s: no notice
        r.Body.ShouldBe(
            "napping\n#7/1     sleeper/nap:FAIL\n#7       sleeper:FAIL\n" +
            "#9/1     subtests_partial_skip/a:OK\n#9/2     subtests_partial_skip/b:SKIP\n#9       subtests_partial_skip:OK (SKIP: 1/2)\n" +
            "\nAll error logs:\n" +
            "napping\n#7/1     sleeper/nap:FAIL\n#7       sleeper:FAIL\n" +
            "Summary: 1/1 PASSED, 1 SKIPPED, 1 FAILED\n");
        r.ExitCode.ShouldBe(1);
    }

    [Test]
    public void A_crash_dumps_the_running_tests_log_and_the_caught_signal_block_then_the_process_dies()
    {
        var crash = new Dictionary<string, string> { ["TEST_PROGS_FIXTURE_CRASH"] = "1" };
        var r = TestProgsProcess.Run(["-a", "pass_basic,subtests_partial_skip", "-J", "out.json"], crash);
        r.Body.ShouldBe("pass_basic:PASS:same 0 nsec\ncrashing\n#4       pass_basic:FAIL\n"); // no later test, no summary
        r.Stderr.ShouldContain("Caught signal #6!\nStack trace:\nSystem.InvalidOperationException: crash on a thread the test started\n");
        r.ExitCode.ShouldBe(134); // SIGABRT, as .NET ends a process with an unhandled exception
        File.ReadAllText(Path.Combine(r.WorkDir, "out.json")).ShouldBe("");

        // in a worker: the worker's dump and [id]: block, the test fails, the run goes on
        var par = TestProgsProcess.Run(["-a", "pass_basic,subtests_partial_skip", "-j1"], crash);
        par.Stderr.ShouldContain("[0]: Caught signal #6!\nStack trace:\nSystem.InvalidOperationException: crash on a thread the test started\n");
        par.Body.ShouldContain("pass_basic:PASS:same 0 nsec\ncrashing\n#4       pass_basic:FAIL\n");
        par.Body.ShouldContain("#9       subtests_partial_skip:OK (SKIP: 1/2)\n");
        par.Body.ShouldEndWith("Summary: 1/1 PASSED, 1 SKIPPED, 1 FAILED\n");
        par.ExitCode.ShouldBe(1);
    }

    [Test]
    public void Debug_traces_the_worker_protocol_on_stderr_and_changes_no_output()
    {
        string[] args = ["-a", "pass_basic,subtests_partial_skip", "-j2"];
        var plain = TestProgsProcess.Run(args);
        var r = TestProgsProcess.Run([.. args, "--debug"]);
        Lines(r.Body).ShouldBe(Lines(plain.Body));
        r.Stderr.ShouldContain("Launching 2 workers.\n");
        r.Stderr.ShouldMatch(@"\[[01]\]: #4:pass_basic running\.\n");
        r.Stderr.ShouldContain("Sending msg: MSG_DO_TEST 4\n");
        r.Stderr.ShouldContain("Received msg: MSG_TEST_DONE 4\n");
        r.Stderr.ShouldContain("Sending msg: MSG_EXIT\n");
        r.Stderr.ShouldMatch(@"\[[01]\]: worker exit\.\n");
        plain.Stderr.ShouldNotContain("msg:");
    }

    [Test]
    public void Very_verbose_adds_libbpfs_debug_messages_to_the_log()
    {
        // a real load: the loader prints DEBUG lines (object, license, maps) that only -vv/-vvv let through the print hook
        string[] args = ["-a", "UnguardedMissingFieldIsPoisonedAndTheVerifierLogSaysWhy"];
        var v = TestProgsProcess.Run(["-v", .. args], fixture: false);
        var vv = TestProgsProcess.Run(["-vv", .. args], fixture: false);
        var vvv = TestProgsProcess.Run(["-vvv", .. args], fixture: false);
        foreach (var r in new[] { v, vv, vvv })
            r.Body.ShouldContain("UnguardedMissingFieldIsPoisonedAndTheVerifierLogSaysWhy:OK\n");
        v.Body.ShouldContain("libbpf: prog 'core_unguarded': BPF program load failed: -EINVAL\n"); // WARN: always
        v.Body.ShouldNotContain("libbpf: loading object from ");
        vv.Body.ShouldMatch(@"libbpf: loading object from \S+/core\.bpf\.o\nlibbpf: license of core is GPL\n");
        vvv.Body.ShouldContain("libbpf: license of core is GPL\n");
    }

    [Test]
    public void The_watchdog_in_a_worker_fails_the_test_and_the_run_goes_on()
    {
        var r = TestProgsProcess.Run(["-a", "sleeper,pass_basic,subtests_partial_skip", "-w", "2", "-j2"],
            new Dictionary<string, string> { ["TEST_PROGS_FIXTURE_SLEEP"] = "600" });
        r.Stderr.ShouldContain("WATCHDOG: test case sleeper/nap executes for 2 seconds, terminating with SIGSEGV\n");
        r.Body.ShouldContain("napping\n#7/1     sleeper/nap:FAIL\n#7       sleeper:FAIL\n");
        r.Body.ShouldEndWith("Summary: 2/1 PASSED, 1 SKIPPED, 1 FAILED\n");
        r.ExitCode.ShouldBe(1);
    }

    [TestCase(new[] { "-n", "3-1" }, "Failed to parse test numbers.\n", 234)]
    [TestCase(new[] { "-vx" }, "Unrecognized verbosity setting ('x'), only -v and -vv are supported\n", 234)]
    [TestCase(new[] { "-j0" }, "Invalid number of worker: 0.", 234)]
    [TestCase(new[] { "-a", "@/nonexistent/list" }, "Failed to open '/nonexistent/list': -2\n", 254)]
    [TestCase(new[] { "-J", "/nonexistent/dir/out.json" }, "Failed to open json summary file: No such file or directory\n", 254)]
    [TestCase(new[] { "stray" }, "Usage: test_progs [OPTION...]\nTry `test_progs --help' or `test_progs --usage' for more information.\n", 64)]
    public void Argument_errors_print_upstreams_text_and_exit_with_its_status(string[] args, string stderr, int exit)
    {
        var r = TestProgsProcess.Run(args);
        r.Stdout.ShouldBe("");
        r.Stderr.ShouldBe(stderr);
        r.ExitCode.ShouldBe(exit);
    }
}
