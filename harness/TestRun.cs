using System.Text;
using NUnit.Framework;
using NUnit.Framework.Interfaces;
using NUnit.Framework.Internal;

namespace BpfHarness;

/// <summary>
/// One running test in test_progs terms (<c>struct test_state</c>): its log, error and skip counts and
/// subtests. The harness creates one per NUnit test (see <see cref="BpfTestHarnessAttribute"/>);
/// <see cref="RunDetached"/> creates one that is not tied to NUnit, for testing the harness itself.
/// Everything the ASSERT helpers and the libbpf hook print goes to <see cref="Current"/>.
/// </summary>
public sealed class TestRun
{
    // The current run flows with the ExecutionContext (so Task.Run / new Thread inside a test see it).
    // Threads it does not reach (callbacks registered before the test, native threads) fall back to the
    // one run the harness has marked as running; tests run one at a time, as in test_progs.
    private static readonly AsyncLocal<TestRun?> _current = new();
    private static volatile TestRun? _running;

    private readonly Lock _lock = new();
    private readonly StringBuilder _log = new();
    private readonly StringBuilder _testLog = new(); // test_progs' test buffer: text outside subtests, no result lines
    private readonly List<SubtestState> _subtests = [];
    private readonly List<string> _failures = [];
    private readonly TestExecutionContext? _nunit;
    private SubtestState? _subtest;
    private TestRun? _previousCurrent, _previousRunning;

    internal TestRun(string name, int number, TestExecutionContext? nunit) =>
        (Name, Number, _nunit) = (name, number, nunit);

    /// <summary>
    /// Decides whether a subtest runs (test_progs §3.5); null runs everything. Arguments: test name,
    /// subtest name, 1-based subtest number. Set by a runner that implements -a/-d/-n selection.
    /// </summary>
    public static Func<string, string, int, bool>? SubtestFilter { get; set; }

    /// <summary>The run ASSERTs and libbpf output go to, or null outside any test.</summary>
    public static TestRun? Current => _current.Value ?? _running;

    /// <summary>The test's name as result lines show it.</summary>
    public string Name { get; }
    /// <summary>The test's number (<c>#N</c>).</summary>
    public int Number { get; }

    /// <summary>Test-level errors; a failed subtest adds one when it ends (test_progs' error_cnt).</summary>
    public int ErrorCount { get; private set; }

    /// <summary>Skipped subtests plus test-level skips (skip_cnt).</summary>
    public int SkipCount { get; private set; }

    /// <summary>Subtest start calls so far, filtered ones included (subtest_num).</summary>
    public int SubtestCount { get; private set; }

    /// <summary>The subtests started so far.</summary>
    public IReadOnlyList<SubtestState> Subtests { get { lock (_lock) return [.. _subtests]; } }
    /// <summary>The subtest running now, or null.</summary>
    public SubtestState? CurrentSubtest => _subtest;

    /// <summary>The <c>func:FAIL:...</c> lines recorded so far, without trailing newlines.</summary>
    public IReadOnlyList<string> Failures { get { lock (_lock) return [.. _failures]; } }

    /// <summary>The whole log: test output, subtest output and result lines, in order.</summary>
    public string Output { get { lock (_lock) return _log.ToString(); } }

    /// <summary>
    /// The test's own buffer as test_progs keeps it: what was written while no subtest was current,
    /// without the result lines (subtest output is in <see cref="SubtestState.Output"/>).
    /// </summary>
    public string TestOutput { get { lock (_lock) return _testLog.ToString(); } }

    /// <summary>
    /// For a runner that streams output (test_progs -v): receives every text a harness-run test writes,
    /// subtest result lines included, as it is written; not the test's own result line.
    /// </summary>
    public static Action<string>? LiveOutput { get; set; }

    /// <summary>For a runner: called with each harness-run test after its end-of-test steps and verdict.</summary>
    public static Action<TestRun>? Completed { get; set; }

    /// <summary>Reason passed to the last <see cref="Skip"/>, if any.</summary>
    public string? SkipReason { get; private set; }

    /// <summary>test__force_log() was called: a runner prints the test's logs even when it passes.</summary>
    public bool ForceLog { get; private set; }

    /// <summary>test__force_log().</summary>
    public void ForceLogs() => ForceLog = true;

    /// <summary>True once the test, or its current subtest, has an error.</summary>
    public bool HasFailed => ErrorCount > 0 || _subtest?.ErrorCount > 0;

    /// <summary>test_progs' test result text: FAIL, OK, SKIP or OK (SKIP: n/m).</summary>
    public string Result => ResultLines.TestResult(ErrorCount, SkipCount, SubtestCount);

    /// <summary>Appends text to the log of the test (and of the current subtest) and to the NUnit output.</summary>
    public void Write(string text)
    {
        lock (_lock)
        {
            _log.Append(text);
            (_subtest?.Log ?? _testLog).Append(text);
        }
        Forward(text);
        Live(text);
    }

    /// <summary>A result line: in the whole log and the NUnit output, not in the test or subtest buffer.</summary>
    internal void WriteResultLine(string line, bool live)
    {
        lock (_lock)
            _log.Append(line);
        Forward(line);
        if (live)
            Live(line);
    }

    private void Live(string text)
    {
        if (_nunit is not null)
            LiveOutput?.Invoke(text);
    }

    /// <summary>test__fail(): records an error on the current subtest, else on the test.</summary>
    public void Fail() => Fail(null);

    /// <summary>Prints a complete FAIL line (with newline) and records it as an error.</summary>
    internal void Fail(string? failureLine)
    {
        lock (_lock)
        {
            if (_subtest is not null)
                _subtest.ErrorCount++;
            else
                ErrorCount++;
            if (failureLine is not null)
            {
                _log.Append(failureLine);
                (_subtest?.Log ?? _testLog).Append(failureLine);
                _failures.Add(failureLine.TrimEnd('\n'));
            }
        }
        if (failureLine is null)
            return;
        Forward(failureLine);
        Live(failureLine);
        // Record, don't throw: the test continues like after test__fail(), and NUnit turns a test with
        // failed assertion results red when its method returns (the Assert.Multiple mechanism).
        _nunit?.CurrentResult.RecordAssertion(AssertionStatus.Failed, failureLine.TrimEnd('\n'));
    }

    /// <summary>test__skip(): marks the current subtest skipped, else counts a test-level skip.</summary>
    public void Skip(string? reason = null)
    {
        lock (_lock)
        {
            if (_subtest is not null)
                _subtest.Skipped = true;
            else
                SkipCount++;
            SkipReason = reason ?? SkipReason;
        }
    }

    /// <summary>
    /// test__start_subtest(): ends the open subtest, then starts <paramref name="name"/>. Returns false
    /// (and the caller skips the body) when the name is empty or the subtest is filtered out.
    /// </summary>
    public bool StartSubtest(string? name)
    {
        EndSubtest();
        SubtestState state;
        lock (_lock)
        {
            int number = ++SubtestCount;
            state = new SubtestState(name ?? "", number);
            _subtests.Add(state);
            if (string.IsNullOrEmpty(name))
            {
                state.Filtered = true;
                Console.Error.Write($"Subtest #{number} didn't provide sub-test name!\n");
                return false;
            }
            if (SubtestFilter is { } filter && !filter(Name, name, number))
            {
                state.Filtered = true;
                return false;
            }
            _subtest = state;
        }
        return true;
    }

    /// <summary>test__end_subtest(): folds the open subtest into the test counts and prints its line.</summary>
    public void EndSubtest()
    {
        SubtestState? st;
        lock (_lock)
        {
            st = _subtest;
            if (st is null)
                return;
            if (st.ErrorCount > 0)
                ErrorCount++;
            else if (st.Skipped)
                SkipCount++;
            _subtest = null;
        }
        WriteResultLine(ResultLines.Subtest(Number, st.Number, Name, st.Name, st.Result), live: true);
    }

    /// <summary>
    /// Runs <paramref name="body"/> as subtest <paramref name="name"/> if it is selected. An exception
    /// fails (or, for Assert.Ignore / a gate, skips) only this subtest; the next one still runs.
    /// </summary>
    public void Subtest(string name, Action body)
    {
        if (!StartSubtest(name))
            return;
        Guard(body, name);
        EndSubtest();
    }

    /// <summary>
    /// Runs <paramref name="body"/> as a test outside NUnit's bookkeeping: ASSERTs inside it print to and
    /// fail only the returned run. The end-of-test steps run as for a real test (open subtest ended, a
    /// leftover libbpf log capture discarded); the fd leak check does not.
    /// </summary>
    public static TestRun RunDetached(string name, Action body, int number = 1)
    {
        var run = new TestRun(name, number, null);
        Enter(run, markRunning: false);
        try
        {
            run.Guard(body, name);
            run.Complete();
        }
        finally
        {
            Exit(run, markRunning: false);
        }
        return run;
    }

    /// <summary>The steps test_progs runs after every body: end the subtest, drop any log capture.</summary>
    internal void Complete()
    {
        EndSubtest();
        LogCapture.Discard();
    }

    internal static void Enter(TestRun run, bool markRunning = true)
    {
        run._previousCurrent = _current.Value;
        _current.Value = run;
        if (markRunning)
        {
            run._previousRunning = _running;
            _running = run;
        }
    }

    internal static void Exit(TestRun run, bool markRunning = true)
    {
        _current.Value = run._previousCurrent;
        if (markRunning && ReferenceEquals(_running, run))
            _running = run._previousRunning;
    }

    /// <summary>The run to report to: the current one, or a throwaway one for the NUnit test in progress.</summary>
    internal static TestRun CurrentOrTransient()
    {
        if (Current is { } run)
            return run;
        var ctx = TestExecutionContext.CurrentContext;
        return ctx.CurrentTest is { IsSuite: false } test ? new TestRun(test.Name, 0, ctx) : new TestRun("", 0, null);
    }

    private void Guard(Action body, string func)
    {
        try
        {
            body();
        }
        catch (Exception ex) when (ex is IgnoreException or InconclusiveException)
        {
            Write($"{func}:SKIP: {ex.Message}\n");
            Skip(ex.Message);
        }
        catch (SuccessException)
        {
        }
        catch (Exception ex) when (ex is AssertionException or MultipleAssertException)
        {
            // NUnit already recorded this failure in the test result; count it here without a duplicate.
            Write(ex.Message.EndsWith('\n') ? ex.Message : ex.Message + "\n");
            Fail();
        }
        catch (Exception ex)
        {
            Fail($"{func}:FAIL:exception {ex.GetType().Name}: {ex.Message}\n");
            Write(ex + "\n");
        }
    }

    private void Forward(string text)
    {
        if (_nunit is null)
            return;
        // On the test's own flow TestContext.Out also streams the text live; from elsewhere write to the
        // result's writer directly, which is thread-safe and lands in the same test output.
        if (ReferenceEquals(TestExecutionContext.CurrentContext, _nunit))
            TestContext.Out.Write(text);
        else
            _nunit.CurrentResult.OutWriter.Write(text);
    }
}
