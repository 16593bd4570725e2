using System.Diagnostics;
using System.Globalization;
using BpfFuzz;
using BpfHarness;
using BpfLoader.Diagnostics;
using BpfLoader.Objects;
using NUnit.Framework;
using Shouldly;

namespace BpfTests.Reliability;

/// <summary>
/// The loader's process-wide state (kernel BTF cache, feature probes, the print hook, log capture) under parallel
/// use: several workers open, load, attach (what this kernel allows) and dispose different objects for a fixed
/// time. Each worker is a test run of its own (<see cref="TestRun.RunDetached"/>): the libbpf lines its loads
/// cause must reach its log and its log capture, and no other worker's. Afterwards no fd is left open.
/// CI runs 20 s; <c>BPFTESTS_STRESS_SECONDS</c> sets a longer run (the README figure).
/// </summary>
[NonParallelizable] // the fd invariant counts the whole process's fds
public class ConcurrencyStressTests
{
    private const int Workers = 4;
    /// <summary>The one object that fails to load: its verifier rejection is the per-worker marker in the logs.</summary>
    private const string Rejected = "rejected";
    private const string RejectedLine = "prog 'unchecked_lookup': BPF program load failed";
    private static readonly string[] Loadable = ["minimal", "global_data", "maps", "attach", "ringbuf_lengths", "core", "buffers"];

    private static readonly string[] TracingSections = ["fentry", "fexit", "fmod_ret", "kprobe", "kretprobe", "uprobe", "lsm", "tp_btf", "iter"];

    private static TimeSpan Duration
        => Environment.GetEnvironmentVariable("BPFTESTS_STRESS_SECONDS") is { Length: > 0 } s
            ? TimeSpan.FromSeconds(double.Parse(s, CultureInfo.InvariantCulture)) : TimeSpan.FromSeconds(20);

    private sealed record WorkerResult(TestRun Run, int Cycles, int Rejections, int Attached, string? Captured);

    [Test]
    public void ParallelLoadsLeakNothingAndRouteEachWorkersLinesToItsOwnLog()
    {
        LibbpfRouting.EnsureInstalled();
        var images = Loadable.Append(Rejected).ToDictionary(n => n, n => File.ReadAllBytes(Progs.Path(n)));
        // The process-wide caches (kernel BTF, feature probes) fill once; the fd baseline is taken after that.
        foreach (var name in images.Keys)
            TestRun.RunDetached("stress_warmup", () => Cycle(name, images[name]));
        var fdsBefore = OpenFds();
        var clock = Stopwatch.StartNew();
        var results = Task.WhenAll(Enumerable.Range(0, Workers).Select(w => Task.Run(() => Worker(w, images, clock)))).GetAwaiter().GetResult();
        clock.Stop();

        int cycles = results.Sum(r => r.Cycles);
        TestContext.Progress.WriteLine($"stress: {Workers} workers, {cycles} open/load/attach/dispose cycles in {clock.Elapsed.TotalSeconds:F0} s, " +
            $"{results.Sum(r => r.Attached)} links, {results.Sum(r => r.Rejections)} verifier rejections");
        foreach (var (r, w) in results.Select((r, w) => (r, w)))
        {
            r.Run.Failures.ShouldBeEmpty($"worker {w}:\n{r.Run.TestOutput}");
            r.Rejections.ShouldBeGreaterThan(0);
            // Every worker rejects at its own rate: lines routed to the wrong run would change these counts.
            Occurrences(r.Run.TestOutput, RejectedLine).ShouldBe(r.Rejections, $"worker {w}'s log has exactly its own rejections");
            Occurrences(r.Captured ?? "", RejectedLine).ShouldBe(r.Rejections, $"worker {w}'s log capture has exactly its own rejections");
        }
        cycles.ShouldBeGreaterThanOrEqualTo(Workers * 10);
        OpenFds().Except(fdsBefore).ShouldBeEmpty("fds left open by the stress run");
    }

    private static WorkerResult Worker(int w, Dictionary<string, byte[]> images, Stopwatch clock)
    {
        int cycles = 0, rejections = 0, attached = 0;
        string? captured = null;
        var run = TestRun.RunDetached($"stress_worker_{w}", () =>
        {
            LogCapture.Start().ShouldBe(0, "each worker has its own capture");
            while (clock.Elapsed < Duration)
            {
                bool reject = cycles % (w + 2) == 0;
                string name = reject ? Rejected : Loadable[(cycles + w) % Loadable.Length];
                attached += Cycle(name, images[name]);
                rejections += reject ? 1 : 0;
                cycles++;
            }
            captured = LogCapture.Stop();
        });
        return new WorkerResult(run, cycles, rejections, attached, captured);
    }

    // Open, load, attach every program the kernel lets this host attach, dispose; returns the links made.
    private static int Cycle(string name, byte[] image)
    {
        using var obj = BpfObject.Open(image, name + ".bpf.o");
        foreach (var prog in obj.Programs)
        {
            // Program types this kernel may refuse to load at all (fentry is EPERM on the host): not loaded.
            if (TracingSections.Any(s => prog.SectionName.StartsWith(s, StringComparison.Ordinal)))
                prog.AutoLoad = false;
        }
        try
        {
            obj.Load();
        }
        catch (BpfException) when (name == Rejected)
        {
            return 0;
        }
        int links = 0;
        foreach (var prog in obj.Programs)
        {
            try
            {
                using var link = prog.Attach();
                links++;
            }
            catch (BpfException)
            {
                // Not attachable here (no kprobes, fentry refused, a type without auto-attach): nothing may leak.
            }
        }
        return links;
    }

    private static int Occurrences(string text, string what)
    {
        int n = 0;
        for (int i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + what.Length, StringComparison.Ordinal))
            n++;
        return n;
    }

    // Only kernel objects of ours (bpf maps, programs, links, BTF): the runtime opens and closes files of its own.
    private static HashSet<string> OpenFds()
        => CaseCheck.OpenFds().Where(fd => fd.Contains("-> anon_inode:", StringComparison.Ordinal)).ToHashSet();
}
