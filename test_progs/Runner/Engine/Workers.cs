using System.Diagnostics;
using System.Text.Json;
using BpfTests.TestProgs.Output;
using BpfTests.TestProgs.Selection;

namespace BpfTests.TestProgs.Engine;

/// <summary>
/// -j (test_progs.md §10): worker processes are this executable again, started with the same
/// arguments and <see cref="WorkerVariable"/> set. One dispatcher thread per worker takes the next
/// selected non-serial test (number order) from a shared cursor, sends its number on the worker's
/// stdin and reads back one protocol line with the outcome; the main process prints each outcome as
/// it arrives (completion order). A worker that dies fails its test and is replaced.
/// <c>--debug</c> traces on stderr as upstream: <c>Launching N workers.</c>, <c>[id]: #N:name running.</c>,
/// <c>Sending msg: …</c> / <c>Received msg: …</c> (our line protocol named after upstream's messages:
/// <c>MSG_DO_TEST N</c>, <c>MSG_TEST_DONE N</c>, <c>MSG_EXIT</c>), <c>Still waiting for thread id (test N).</c>
/// once a second while the main process waits, and <c>[id]: worker exit.</c>
/// </summary>
public sealed class Workers(string executable, IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr, bool debug)
{
    public const string WorkerVariable = "TEST_PROGS_WORKER";
    public const string ReplyPrefix = "\u0001test_progs-result ";

    /// <summary>Runs <paramref name="tests"/> (already selected, serial ones excluded) on <paramref name="count"/> workers.</summary>
    public IReadOnlyList<TestOutcome> Run(IReadOnlyList<RegisteredTest> tests, int count, Action<TestOutcome> print)
    {
        if (debug)
            stderr.Write($"Launching {count} workers.\n");
        var results = new List<TestOutcome>();
        int cursor = 0;
        var gate = new Lock();
        var current = new int[count]; // the test each dispatcher is waiting for (0: none)
        var threads = Enumerable.Range(0, count).Select(id => new Thread(() =>
        {
            Process? worker = null;
            try
            {
                for (;;)
                {
                    RegisteredTest t;
                    lock (gate)
                    {
                        if (cursor >= tests.Count)
                            break;
                        t = tests[cursor++];
                    }
                    worker ??= Start(id);
                    Volatile.Write(ref current[id], t.Number);
                    var outcome = Exchange(worker, id, t);
                    Volatile.Write(ref current[id], 0);
                    if (outcome is null)
                    {
                        int? rc = worker.WaitForExit(5000) ? worker.ExitCode : null;
                        outcome = new TestOutcome(t.Name, t.Number, 1, 0, 0, 0, $"worker {id} exited unexpectedly (status {rc?.ToString() ?? "?"})\n", [], Fixture: t.Fixture);
                        worker.Dispose();
                        worker = null;
                    }
                    lock (gate)
                    {
                        results.Add(outcome);
                        print(outcome);
                    }
                }
            }
            finally
            {
                if (worker is not null)
                {
                    if (debug)
                        stderr.Write("Sending msg: MSG_EXIT\n");
                    worker.StandardInput.Close(); // the worker's exit request
                    if (!worker.WaitForExit(10000))
                        worker.Kill();
                    worker.Dispose();
                }
                if (debug)
                    stderr.Write($"[{id}]: worker exit.\n");
            }
        }) { IsBackground = true, Name = $"dispatcher {id}" }).ToList();
        threads.ForEach(t => t.Start());
        for (int i = 0; i < threads.Count; i++)
        {
            while (!threads[i].Join(1000))
            {
                if (debug)
                    stderr.Write($"Still waiting for thread {i} (test {Volatile.Read(ref current[i])}).\n");
            }
        }
        return results;
    }

    private Process Start(int id)
    {
        var psi = new ProcessStartInfo(executable)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        psi.Environment[WorkerVariable] = id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Process.Start(psi) ?? throw new InvalidOperationException("Failed to fork worker");
    }

    private TestOutcome? Exchange(Process worker, int id, RegisteredTest t)
    {
        if (debug)
            stderr.Write($"[{id}]: #{t.Number}:{t.Name} running.\n");
        try
        {
            if (debug)
                stderr.Write($"Sending msg: MSG_DO_TEST {t.Number}\n");
            worker.StandardInput.Write($"{t.Number}\n");
            worker.StandardInput.Flush();
            for (;;)
            {
                var line = worker.StandardOutput.ReadLine();
                if (line is null)
                    return null;
                if (line.StartsWith(ReplyPrefix, StringComparison.Ordinal))
                {
                    var outcome = JsonSerializer.Deserialize<TestOutcome>(line[ReplyPrefix.Length..]);
                    if (debug)
                        stderr.Write($"Received msg: MSG_TEST_DONE {outcome?.Number}\n");
                    return outcome;
                }
                stdout.Write(line + "\n"); // stray output of the worker outside any test
            }
        }
        catch (IOException e)
        {
            stderr.Write($"[{id}]: Protocol/IO error: {e.Message}.\n");
            return null;
        }
    }

    /// <summary>
    /// The worker side: reads test numbers from stdin until EOF, runs each (output always captured),
    /// answers with one protocol line on <paramref name="protocol"/>.
    /// </summary>
    public static int Serve(TextReader requests, TextWriter protocol, Func<int, TestOutcome?> run)
    {
        string? line;
        while ((line = requests.ReadLine()) is not null)
        {
            if (!int.TryParse(line, out int number))
                continue;
            var outcome = run(number) ?? throw new InvalidOperationException($"no test #{number}");
            protocol.Write(ReplyPrefix + JsonSerializer.Serialize(outcome) + "\n");
            protocol.Flush();
        }
        return 0;
    }
}
