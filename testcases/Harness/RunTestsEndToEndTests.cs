using BpfHarness;
using NUnit.Framework;
using NUnit.Framework.Interfaces;
using Shouldly;

namespace BpfTests.Harness;

/// <summary>
/// RUN_TESTS checks each expectation both ways: runs <see cref="RunTestsSandbox{T}"/> in a nested NUnit run and
/// checks each program's subtest verdict and upstream's failure output (test_loader.c's lines).
/// </summary>
[NonParallelizable]
public class RunTestsEndToEndTests
{
    private ITestResult _result = null!;

    [OneTimeSetUp]
    public void RunSandbox() => _result = NestedRun.Find(NestedRun.Run(typeof(RunTestsSandbox<SandboxOn>)), "run_tests_selftest");

    private string Output => _result.Output;


    [Test]
    public void The_test_fails_and_lists_one_subtest_per_program_in_program_order()
    {
        _result.ResultState.Status.ShouldBe(TestStatus.Failed);
        var order = new[] { "msg_absent", "failure_that_loads", "retval_mismatch", "retval_and_regex_match", "described failure", "with_unpriv_variant" };
        int at = 0;
        foreach (string name in order)
        {
            int next = Output.IndexOf($"run_tests_selftest/{name}:", at, StringComparison.Ordinal);
            next.ShouldBeGreaterThan(at - 1, $"subtest '{name}' missing or out of order in:\n{Output}");
            at = next;
        }
    }

    [Test]
    public void An_absent_msg_fails_with_the_log_and_the_matched_and_expected_lines()
    {
        Output.ShouldContain("run_tests_selftest/msg_absent:FAIL\n");
        Output.ShouldMatch(@"validate_msgs:FAIL:\d+ expect_msg\n");
        Output.ShouldContain("VERIFIER LOG:\n=============\n");
        Output.ShouldContain("MATCHED  SUBSTR: 'r0 = 42'\nEXPECTED SUBSTR: 'this text is in no verifier log'\n");
    }

    [Test]
    public void A_failure_program_that_loads_fails_its_subtest()
    {
        Output.ShouldContain("run_subtest:FAIL:unexpected_load_success unexpected unexpected_load_success: actual 0 >= expected 0\n");
        Output.ShouldContain("run_tests_selftest/failure_that_loads:FAIL\n");
    }

    [Test]
    public void A_retval_mismatch_fails_with_upstreams_line()
    {
        Output.ShouldMatch(@"run_subtest:FAIL:\d+ Unexpected retval: 2 != 1\n");
        Output.ShouldContain("run_tests_selftest/retval_mismatch:FAIL\n");
    }

    [Test]
    public void Matching_retval_regex_and_failure_expectations_pass()
    {
        Output.ShouldContain("run_tests_selftest/retval_and_regex_match:OK\n");
        Output.ShouldContain("run_tests_selftest/described failure:OK\n", customMessage: "__description names the subtest");
    }

    [Test]
    public void Unprivileged_variants_are_skipped_with_the_reason()
    {
        Output.ShouldContain("run_tests_selftest/with_unpriv_variant:OK\n");
        Output.ShouldContain("run_tests_selftest/with_unpriv_variant @unpriv:SKIP\n");
        Output.ShouldContain(ProgramTests.UnprivSkipReason);
    }

    [Test]
    public void Spec_values_that_do_not_parse_are_reported_for_the_program()
    {
        var e = Should.Throw<BpfLoader.Diagnostics.BpfException>(() => TestSpecParser.FromTags("p", ["test_log_level=two"]));
        e.Message.ShouldBe("Can't parse test spec for program 'p'");
        var spec = TestSpecParser.FromTags("p", ["test_retval=-0x10", "test_prog_flags=BPF_F_TEST_STATE_FREQ", "test_expect_failure_unpriv"]);
        spec.Privileged!.Retval.ShouldBe(-16);
        spec.ProgFlags.ShouldBe(BpfLoader.Kernel.BpfFlags.TestStateFreq);
        spec.Unprivileged!.ExpectFailure.ShouldBeTrue();
        spec.Unprivileged.Name.ShouldBe("p @unpriv");
    }
}
