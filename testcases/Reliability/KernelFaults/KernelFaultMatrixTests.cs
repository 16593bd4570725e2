using BpfHarness.Gates;
using BpfLoader.Diagnostics;
using BpfLoader.Interop;
using BpfLoader.Objects;
using BpfTests.Pinning;
using NUnit.Framework;
using Shouldly;

namespace BpfTests.Reliability.KernelFaults;

/// <summary>
/// Issue 17, kernel faults: for every object in progs/ that loads on this host and every bpf(2) command its
/// load issues, the kernel is made to refuse that command (and libbpf's immediate retries of it); the load
/// must end as libbpf's does (<see cref="FaultExpectation"/>: the errno, the line for the step, or the step
/// tolerated), and nothing the load created may survive — checked in the kernel's own id lists, not only in
/// /proc/self/fd. The default mode gives each fault point one errno (rotating over the seven); the
/// Exhaustive mode gives every point every errno:
/// <c>BPFTESTS_FAULTS_EXHAUSTIVE=1 ./run.sh host --filter 'FullyQualifiedName~KernelFaultMatrix'</c>.
/// </summary>
[NonParallelizable]
public class KernelFaultMatrixTests
{
    private string _pinRoot = "";

    public static IEnumerable<string> Objects() => Progs.All().Select(p => Path.GetFileName(p)[..^".bpf.o".Length]);

    [OneTimeSetUp]
    public void CreatePinRoot()
    {
        if (!PinningTests.BpffsMounted())
            return;
        _pinRoot = Path.Combine("/sys/fs/bpf", $"bpftests-faults-{Environment.ProcessId}");
        Directory.CreateDirectory(_pinRoot);
    }

    [OneTimeTearDown]
    public void RemovePinRoot()
    {
        if (_pinRoot.Length > 0 && Directory.Exists(_pinRoot))
            Directory.Delete(_pinRoot, recursive: true);
    }

    /// <summary>Set to 1 for the full objects x fault points x errnos matrix (a few minutes) instead of one errno per point.</summary>
    public const string ExhaustiveVariable = "BPFTESTS_FAULTS_EXHAUSTIVE";

    // One test per object; the exhaustive mode is a variable rather than a second [Explicit] test so that the
    // default run does not report ~50 explicit tests as skipped.
    [TestCaseSource(nameof(Objects))]
    public void Every_fault_point_fails_cleanly(string name)
        => Run(name, exhaustive: Environment.GetEnvironmentVariable(ExhaustiveVariable) == "1");

    private void Run(string name, bool exhaustive)
    {
        string pinRoot = _pinRoot.Length > 0 ? Path.Combine(_pinRoot, name) : Path.Combine("/sys/fs/bpf", name);
        var options = new ObjectOpenOptions { PinRoot = pinRoot };
        string path = Progs.Path(name);
        // The warm-up load fills the process-wide caches (feature probes, kernel BTF), so the counted
        // commands are the object's own, the same in every run.
        if (FaultRun.HostRefusal(path, options) is { } refusal)
        {
            Gate.Enforce(new GateDecision(GateOutcome.Skip, $"{name} does not load on this host: {refusal}"), name);
            return;
        }
        // An object with pinned maps is faulted twice: creating and pinning them, and reusing the pins.
        bool pins = FaultRun.Pins(pinRoot).Count > 0;
        var failures = new List<string>();
        int points = 0, runs = 0, injected = 0;
        foreach (bool fresh in pins ? [true, false] : new[] { true })
        {
            if (!fresh)
                FaultRun.HostRefusal(path, options).ShouldBeNull("the pins to reuse");
            var counting = FaultRun.Load(path, options, BpfFaultPlan.Counting(), fresh);
            counting.LeakedFds.ShouldBeEmpty("a plain load leaked fds");
            counting.StillAlive.ShouldBeEmpty("a plain load left kernel objects alive");
            counting.Counted.ShouldBeGreaterThan(0, "the load issued no bpf(2) command");
            if (!fresh)
                FaultRun.HostRefusal(path, options).ShouldBeNull("the pins to reuse");
            points += counting.Counted;
            int rotation = Math.Abs(StringComparer.Ordinal.GetHashCode(name)) % FaultRun.Errnos.Length;
            for (int n = 1; n <= counting.Counted; n++)
            {
                var errnos = exhaustive ? FaultRun.Errnos : [FaultRun.Errnos[(n + rotation) % FaultRun.Errnos.Length]];
                foreach (int errno in errnos)
                {
                    var result = FaultRun.Load(path, options, BpfFaultPlan.FailNth(n, errno, andRetries: true), fresh);
                    runs++;
                    string where = $"{name}{(fresh ? "" : " (reusing pins)")}: command {n}/{counting.Counted}, errno {Errno.Name(errno)}";
                    if (result.Outcome is null)
                    {
                        failures.Add($"{where}: no fault was injected (the load issued {result.Counted} commands)");
                        continue;
                    }
                    injected += result.Outcome.Injected;
                    where += $" in {result.Outcome.Command}";
                    failures.AddRange(FaultExpectation.Violations(result.Outcome).Select(v => $"{where}: {v}"));
                    failures.AddRange(result.LeakedFds.Select(l => $"{where}: fd left open: {l.Description}"));
                    failures.AddRange(result.StillAlive.Select(k => $"{where}: still alive in the kernel: {k}"));
                    failures.AddRange(result.PinsLeft.Select(p => $"{where}: pin left behind: {p}"));
                }
            }
        }
        FaultRun.Pins(pinRoot).ToList().ForEach(File.Delete);
        TestContext.Out.WriteLine($"kernel faults: {name}: {points} fault points, {runs} faulted loads, {injected} refused commands, "
            + $"{failures.Count} findings");
        failures.ShouldBeEmpty(string.Join("\n", failures.Take(40)));
    }
}
