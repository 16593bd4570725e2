using System.Diagnostics;
using System.Reflection;
using BpfHarness;
using BpfTests.TestProgs.Output;
using BpfTests.TestProgs.Selection;
using NUnit.Framework.Api;
using NUnit.Framework.Interfaces;
using NUnit.Framework.Internal;
using NUnit.Framework;

namespace BpfTests.TestProgs.Engine;

/// <summary>What running one test produced.</summary>
/// <param name="Late">Log text the harness did not stream (NUnit's failure or skip message).</param>
/// <param name="Killed">The watchdog ended the test (it was abandoned on its thread).</param>
public sealed record TestRunResult(TestOutcome Outcome, string Late, bool Killed);

/// <summary>
/// Our own driver over the NUnit framework's API (NUnitTestAssemblyRunner): loads a test assembly,
/// lists its test cases as the test_progs registry, and runs one test case at a time with a filter on
/// its full name, in this process, on NUnit's run thread. The harness ([assembly: BpfTestHarness])
/// does the per-test work; this class reads the result through <see cref="TestRun.Completed"/> and
/// NUnit's result, and is the watchdog: it waits for the run with the notify/kill deadlines
/// (re-armed when a subtest starts) and abandons a run that reaches the kill deadline.
/// Why not NUnit's runner on Microsoft.Testing.Platform: its output, selection and process model are
/// its own; test_progs needs per-test control (number order, one test per worker request, a
/// watchdog that keeps going) which the framework API gives directly.
/// </summary>
public sealed class NUnitDriver
{
    private readonly Assembly _assembly;
    private readonly TextWriter _stderr;
    private NUnitTestAssemblyRunner _runner;
    private readonly Dictionary<string, int> _numbers = new(StringComparer.Ordinal);
    private volatile TestRun? _completed;
    private volatile string? _expected;
    private volatile RegisteredTest? _running;

    public TestRegistry Registry { get; }

    public NUnitDriver(Assembly assembly, TextWriter stderr)
    {
        _assembly = assembly;
        _stderr = stderr;
        _runner = Load();
        Registry = new TestRegistry(Leaves(_runner.LoadedTest!).Select(t => (t.Name, t.FullName, IsSerial(t), t.ClassName ?? "")));
        foreach (var t in Registry.Tests)
            _numbers.TryAdd(t.FullName, t.Number);
        TestNumbering.Override = t => _numbers.GetValueOrDefault(t.FullName);
        TestRun.Completed = run =>
        {
            if (run.Name == _expected)
                _completed = run;
        };
    }

    private NUnitTestAssemblyRunner Load()
    {
        var runner = new NUnitTestAssemblyRunner(new DefaultTestAssemblyBuilder());
        // 0 workers: NUnit's simple dispatcher, one run thread, tests one at a time.
        runner.Load(_assembly, new Dictionary<string, object> { ["NumberOfTestWorkers"] = 0 });
        return runner;
    }

    private static IEnumerable<ITest> Leaves(ITest t)
    {
        if (!t.IsSuite)
        {
            if (t.RunState != RunState.Explicit)
                yield return t;
            yield break;
        }
        foreach (var c in t.Tests)
            foreach (var l in Leaves(c))
                yield return l;
    }

    /// <summary>[NonParallelizable] on the test or an enclosing suite marks it serial_test_.</summary>
    private static bool IsSerial(ITest t)
    {
        for (ITest? x = t; x is not null; x = x.Parent)
            if (x.Properties.Get(PropertyNames.ParallelScope) is ParallelScope scope && scope.HasFlag(ParallelScope.None))
                return true;
        return false;
    }

    /// <summary>Runs one test under the watchdog (<paramref name="notifySeconds"/>, <paramref name="killSeconds"/>).</summary>
    public TestRunResult Run(RegisteredTest test, int notifySeconds, int killSeconds, string? workerPrefix = null)
    {
        var listener = new LeafListener(test.FullName);
        _completed = null;
        _expected = test.Name;
        _running = test;
        _runner.RunAsync(listener, new FullNameIs(test.FullName));

        var armed = Stopwatch.StartNew();
        bool notified = false;
        int subtests = 0;
        // Wake up when the run's top suite finishes (no polling delay per test), or every 100 ms for the watchdog.
        while (!listener.Done.Wait(100) && !_runner.WaitForCompletion(0))
        {
            var running = TestRun.Current;
            if (running is not null && running.Name == test.Name && running.SubtestCount != subtests)
            {
                subtests = running.SubtestCount; // test__start_subtest re-arms the watchdog
                armed.Restart();
                notified = false;
            }
            switch (WatchdogClock.Decide(armed.Elapsed, notifySeconds, killSeconds, notified))
            {
                case WatchdogAction.Notify:
                    _stderr.Write(WatchdogClock.NotifyMessage(Current(test, running), notifySeconds));
                    notified = true;
                    break;
                case WatchdogAction.Kill:
                    return Abandon(test, running, killSeconds, workerPrefix);
            }
        }
        _runner.WaitForCompletion(Timeout.Infinite); // moments after the top suite finished
        var outcome = OutcomeBuilder.Build(test, _completed, listener.Result, out var late);
        _expected = null;
        _running = null;
        return new TestRunResult(outcome, late, Killed: false);
    }

    /// <summary>
    /// For the crash handler: the running test (null between tests) as failed, with what it and its
    /// open subtest logged so far.
    /// </summary>
    public TestOutcome? Crashed()
    {
        if (_running is not { } test)
            return null;
        var running = TestRun.Current;
        var run = running?.Name == test.Name ? running : null;
        var outcome = OutcomeBuilder.Killed(OutcomeBuilder.Build(test, run, nunit: null, out _), run?.CurrentSubtest?.Name);
        return run is null ? outcome with { Log = "" } : outcome;
    }

    private static string Current(RegisteredTest test, TestRun? running) =>
        WatchdogClock.Name(test.Name, running?.Name == test.Name ? running.CurrentSubtest?.Name : null);

    // The port cannot signal a managed thread: print what the SIGSEGV handler prints, take the test as
    // failed with what it logged so far, leave its thread blocked and go on with a fresh NUnit runner.
    private TestRunResult Abandon(RegisteredTest test, TestRun? running, int killSeconds, string? workerPrefix)
    {
        _expected = null;
        _running = null;
        var run = running?.Name == test.Name ? running : null;
        string? open = run?.CurrentSubtest?.Name;
        _stderr.Write(WatchdogClock.KillMessage(Current(test, run), killSeconds));
        _stderr.Write($"{workerPrefix}Caught signal #11!\nStack trace:\n  (the test's managed thread is left blocked; its stack is not available)\n");
        var outcome = OutcomeBuilder.Killed(OutcomeBuilder.Build(test, run, nunit: null, out _), open) with
        {
            Message = $"terminated by the watchdog after {killSeconds} seconds",
            Seconds = killSeconds,
        };
        if (run is null)
            outcome = outcome with { Log = "" };
        try
        {
            _runner.StopRun(force: false);
        }
        catch (Exception e) when (e is InvalidOperationException or PlatformNotSupportedException or ArgumentException)
        {
        }
        _runner = Load();
        return new TestRunResult(outcome, "", Killed: true);
    }

    /// <summary>Selects the one test case with this full name (and the suites around it).</summary>
    private sealed class FullNameIs(string fullName) : NUnit.Framework.Internal.TestFilter
    {
        public override bool Match(ITest test) => test.FullName == fullName;
        public override TNode AddToXml(TNode parentNode, bool recursive) => parentNode.AddElement("test", fullName);
    }

    /// <summary>Collects NUnit's result for the one test case of a run.</summary>
    private sealed class LeafListener(string fullName) : ITestListener
    {
        public ITestResult? Result { get; private set; }
        public ManualResetEventSlim Done { get; } = new();
        public void TestStarted(ITest test) { }
        public void TestFinished(ITestResult result)
        {
            if (!result.Test.IsSuite && result.Test.FullName == fullName)
                Result = result;
            if (result.Test.Parent is null)
                Done.Set();
        }
        public void TestOutput(TestOutput output) { }
        public void SendMessage(TestMessage message) { }
    }
}
