using System.Reflection;
using System.Text;
using BpfHarness;
using BpfHarness.Testmod;
using BpfTests.TestProgs.Cli;
using BpfTests.TestProgs.Engine;
using BpfTests.TestProgs.Output;
using BpfTests.TestProgs.Selection;

namespace BpfTests.TestProgs;

/// <summary>
/// The test_progs process (test_progs.md §4): parse, bpf_testmod reload, select, run sequentially or on
/// workers, print per-test output, "All error logs", the JSON summary and the Summary line, unload
/// bpf_testmod, exit. The I/O shell around the pure parts (Cli, Selection, Output).
/// Environment: <see cref="TestsVariable"/> names another test assembly (the runner's own tests use a
/// fixture); <see cref="Workers.WorkerVariable"/> makes the process a -j worker.
/// </summary>
public static class TestProgsMain
{
    public const string TestsVariable = "TEST_PROGS_TESTS";

    public static int Run(string[] args, Assembly defaultTests)
    {
        // Saved stdout/stderr: the real streams, which NUnit's console capture never sees.
        var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) { AutoFlush = true, NewLine = "\n" };
        var stderr = new StreamWriter(Console.OpenStandardError(), new UTF8Encoding(false)) { AutoFlush = true, NewLine = "\n" };
        int code = Main(args, defaultTests, stdout, stderr);
        stdout.Flush();
        stderr.Flush();
        // A test the watchdog abandoned may still block its thread: end the process regardless.
        Environment.Exit(code);
        return code;
    }

    private static int Main(string[] args, Assembly defaultTests, TextWriter stdout, TextWriter stderr)
    {
        var parsed = new ArgumentParser(ReadLines, Environment.ProcessorCount).Parse(args);
        if (parsed.ShouldExit)
        {
            stdout.Write(parsed.Stdout);
            stderr.Write(parsed.Stderr);
            return parsed.ExitCode;
        }
        var o = parsed.Options!;
        if (o.List || o.Count)
            o = o with { Workers = 0 };
        string? workerId = Environment.GetEnvironmentVariable(Workers.WorkerVariable);

        FileStream? json = null;
        if (o.JsonSummary is { } jsonPath && workerId is null)
        {
            json = NativeFile.CreateForWriting(jsonPath, out int errno);
            if (json is null)
            {
                stderr.Write($"Failed to open json summary file: {NativeFile.Describe(errno)}\n");
                return ArgumentParser.ExitStatus(-errno);
            }
        }
        using var jsonFile = json;

        HarnessSettings.Verbosity = o.Verbosity;
        if (o.Verbose)
            Environment.SetEnvironmentVariable("SELFTESTS_VERBOSE", "1");
        LibbpfRouting.EnsureInstalled();
        TestRun.SubtestFilter = o.Selector.SelectsSubtest;

        var tests = Environment.GetEnvironmentVariable(TestsVariable) is { Length: > 0 } path ? Assembly.LoadFrom(Path.GetFullPath(path)) : defaultTests;
        var driver = new NUnitDriver(tests, stderr);
        CrashHandler.Install(driver.Crashed, o.Verbose && workerId is null, stdout, stderr, workerId is null ? null : $"[{workerId}]: ");

        if (workerId is not null)
            return Workers.Serve(Console.In, stdout, n =>
                driver.Registry.Tests.FirstOrDefault(t => t.Number == n) is { } t
                    ? driver.Run(t, o.WatchdogNotifySeconds, o.WatchdogKillSeconds, $"[{workerId}]: ").Outcome
                    : null);

        bool hasTestmod = false;
        if (!o.List)
        {
            Testmod.Unload(o.Verbose, stdout);
            hasTestmod = Testmod.Load(o.Verbose, stdout) == 0;
            if (!hasTestmod)
                stderr.Write("WARNING! Selftests relying on bpf_testmod.ko will be skipped.\n");
        }
        try
        {
            var selected = driver.Registry.Selected(o.Selector);
            if (o.List)
            {
                foreach (var t in selected)
                    stdout.Write(t.Name + "\n");
                return Summary.ListingExitCode(selected.Count);
            }
            if (o.Count)
            {
                stdout.Write($"{selected.Count}\n");
                return Summary.ListingExitCode(selected.Count);
            }
            var outcomes = RunSelected(selected, o, driver, stdout, stderr);
            return Finish(outcomes, o, stdout, jsonFile);
        }
        finally
        {
            if (hasTestmod)
                Testmod.Unload(o.Verbose, stdout);
        }
    }

    private static List<TestOutcome> RunSelected(IReadOnlyList<RegisteredTest> selected, Options o, NUnitDriver driver, TextWriter stdout, TextWriter stderr)
    {
        var outcomes = new List<TestOutcome>();
        var sequential = selected;
        if (o.Workers > 0)
        {
            var parallel = selected.Where(t => !t.Serial).ToList();
            var workers = new Workers(Environment.ProcessPath!, Environment.GetCommandLineArgs()[1..], stdout, stderr, o.Debug);
            outcomes.AddRange(workers.Run(parallel, Math.Min(o.Workers, Math.Max(parallel.Count, 1)),
                outcome => stdout.Write(LogDump.Render(outcome, o.Verbose, parallelResult: true, errorSummary: false))));
            sequential = selected.Where(t => t.Serial).ToList();
        }
        foreach (var t in sequential)
            outcomes.Add(RunHere(t, o, driver, stdout));
        return outcomes;
    }

    /// <summary>run_one_test in the main process: live output when verbose, else the §5.2 dump afterwards.</summary>
    private static TestOutcome RunHere(RegisteredTest t, Options o, NUnitDriver driver, TextWriter stdout)
    {
        TestRun.LiveOutput = o.Verbose ? stdout.Write : null;
        try
        {
            var r = driver.Run(t, o.WatchdogNotifySeconds, o.WatchdogKillSeconds);
            if (o.Verbose)
                stdout.Write(r.Late + BpfHarness.ResultLines.Test(t.Number, t.Name, r.Outcome.Result));
            else
                stdout.Write(LogDump.Render(r.Outcome, verbose: false, parallelResult: false, errorSummary: false));
            return r.Outcome;
        }
        finally
        {
            TestRun.LiveOutput = null;
        }
    }

    private static int Finish(List<TestOutcome> outcomes, Options o, TextWriter stdout, FileStream? json)
    {
        outcomes.Sort((a, b) => a.Number.CompareTo(b.Number));
        var summary = Summary.Of(outcomes);
        var failed = !o.Verbose && summary.Failed > 0 ? outcomes.Where(t => t.Failed).ToList() : [];
        if (failed.Count > 0)
        {
            stdout.Write("\nAll error logs:\n");
            foreach (var t in failed)
                stdout.Write(LogDump.Render(t, verbose: false, parallelResult: false, errorSummary: true));
        }
        if (json is not null)
        {
            var everyTest = Environment.GetEnvironmentVariable(JsonSummary.EveryTestVariable) == "1" ? outcomes : null;
            var bytes = new UTF8Encoding(false).GetBytes(JsonSummary.Render(summary, failed, everyTest));
            json.Write(bytes);
            json.Flush();
        }
        stdout.Write(summary.Line);
        return summary.ExitCode;
    }

    private static IEnumerable<string>? ReadLines(string path, out int errno)
    {
        try
        {
            var lines = File.ReadAllLines(path);
            errno = 0;
            return lines;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            errno = 2; // ENOENT
        }
        catch (UnauthorizedAccessException)
        {
            errno = 13; // EACCES
        }
        catch (IOException)
        {
            errno = 5; // EIO
        }
        return null;
    }
}
