using System.Runtime.CompilerServices;
using BpfHarness;
using BpfLoader.Diagnostics;
using NUnit.Framework;
using NUnit.Framework.Internal;
using Shouldly;

namespace BpfTests.Harness;

/// <summary>start/stop_libbpf_log_capture and the libbpf print hook (spec §8).</summary>
public class LogCaptureTests
{
    [Test]
    public void Starting_twice_fails_the_test_with_the_upstream_text_and_returns_EINVAL()
    {
        int first = 1, second = 0, line = 0;
        var run = TestRun.RunDetached("t", () =>
        {
            first = LogCapture.Start();
            (second, line) = (LogCapture.Start(), Line());
            LogCapture.Stop();
        });
        first.ShouldBe(0);
        second.ShouldBe(-22);
        run.ErrorCount.ShouldBe(1);
        run.Failures.ShouldBe([$"start_libbpf_log_capture:FAIL:{line} start_libbpf_log_capture: libbpf_capture_stream != NULL"]);
        run.Output.ShouldBe($"start_libbpf_log_capture:FAIL:{line} start_libbpf_log_capture: libbpf_capture_stream != NULL\n");
    }

    [Test]
    public void Only_warn_and_info_are_captured_and_they_also_reach_the_test_log()
    {
        string? captured = null;
        var saved = HarnessSettings.Verbosity;
        HarnessSettings.Verbosity = Verbosity.Super; // even when DEBUG is shown, it is not captured
        try
        {
            var run = TestRun.RunDetached("t", () =>
            {
                LogCapture.Start().ShouldBe(0);
                LibbpfLog.Warn("struct_ops init_kern");
                LibbpfLog.Info("loaded");
                LibbpfLog.Debug("noise");
                captured = LogCapture.Stop();
            });
            captured.ShouldBe("libbpf: struct_ops init_kern\nlibbpf: loaded\n");
            run.Output.ShouldBe("libbpf: struct_ops init_kern\nlibbpf: loaded\nlibbpf: noise\n");
        }
        finally
        {
            HarnessSettings.Verbosity = saved;
        }
    }

    [Test]
    public void Debug_reaches_the_log_only_from_vv_on()
    {
        var saved = HarnessSettings.Verbosity;
        try
        {
            HarnessSettings.Verbosity = Verbosity.Normal;
            TestRun.RunDetached("t", () => { LibbpfLog.Debug("d1"); LibbpfLog.Warn("w1"); }).Output.ShouldBe("libbpf: w1\n");
            HarnessSettings.Verbosity = Verbosity.Very;
            TestRun.RunDetached("t", () => LibbpfLog.Debug("d2")).Output.ShouldBe("libbpf: d2\n");
        }
        finally
        {
            HarnessSettings.Verbosity = saved;
        }
    }

    [Test]
    public void Stop_without_start_is_null_and_an_empty_capture_is_empty_string()
    {
        LogCapture.Stop().ShouldBeNull();
        LogCapture.Start().ShouldBe(0);
        LogCapture.Stop().ShouldBe("");
        LogCapture.Stop().ShouldBeNull();
    }

    [Test]
    public void A_capture_left_running_is_discarded_when_the_test_ends()
    {
        TestRun.RunDetached("leaves_capture", () => LogCapture.Start());
        LogCapture.IsActive.ShouldBeFalse();
        LogCapture.Stop().ShouldBeNull();
    }

    [Test]
    public void Verbosity_setting_parses_like_test_progs_v_options()
    {
        HarnessSettings.ParseVerbosity(null).ShouldBe(Verbosity.None);
        HarnessSettings.ParseVerbosity("1").ShouldBe(Verbosity.Normal);
        HarnessSettings.ParseVerbosity("-vv").ShouldBe(Verbosity.Very);
        HarnessSettings.ParseVerbosity("vvv").ShouldBe(Verbosity.Super);
    }

    [Test]
    public void Libbpf_output_from_a_thread_without_the_test_context_lands_in_this_test()
    {
        var run = TestRun.Current.ShouldNotBeNull();
        // Suppressing flow gives the thread no AsyncLocal state and no NUnit context: the hook must
        // fall back to the running test and write through the result's thread-safe writer.
        Thread t;
        using (ExecutionContext.SuppressFlow())
            t = new Thread(() => LibbpfLog.Warn("from a foreign thread"));
        t.Start();
        t.Join();
        run.Output.ShouldContain("libbpf: from a foreign thread\n");
        TestExecutionContext.CurrentContext.CurrentResult.Output.ShouldContain("libbpf: from a foreign thread\n");
    }

    [Test]
    public void Libbpf_output_from_a_task_lands_in_this_test()
    {
        Task.Run(() => LibbpfLog.Info("from a task")).Wait();
        TestExecutionContext.CurrentContext.CurrentResult.Output.ShouldContain("libbpf: from a task\n");
    }

    private static int Line([CallerLineNumber] int line = 0) => line;
}
