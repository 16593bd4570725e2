using System.Diagnostics;
using System.IO.Compression;
using System.Security.Cryptography;
using BpfLoader.Diagnostics;

namespace BpfFuzz;

/// <summary>How a run is set up (the <c>./run.sh fuzz</c> options).</summary>
public sealed record FuzzOptions
{
    public long Cases { get; init; } = 10_000;
    /// <summary>Stops early once this much time has passed (the CI mode's bound on a busy machine).</summary>
    public TimeSpan? MaxDuration { get; init; }
    /// <summary>Index of the first case: disjoint ranges of one seed can run in parallel processes.</summary>
    public long First { get; init; }
    public long Seed { get; init; } = 1;
    /// <summary>Only this target; null mixes all (weighted towards the fast ones).</summary>
    public FuzzTarget? Target { get; init; }
    /// <summary>Every N-th case of the Open target also loads into the kernel (0: never; needs root).</summary>
    public int LoadEvery { get; init; } = 500;
    public bool IncludeKernelBtf { get; init; } = true;
    /// <summary>Where minimized failing cases are written as regression fixtures (null: not written).</summary>
    public string? FixtureDirectory { get; init; }
    /// <summary>Receives the index of the case about to run (so a crash can be reproduced with --reproduce).</summary>
    public string? StateFile { get; init; }
    public Action<string>? Progress { get; init; }
}

/// <summary>A case that broke an invariant, minimized.</summary>
public sealed record Finding(long Case, FuzzTarget Target, string Input, Mutation Mutation, Violation Violation, string? Fixture);

/// <summary>The figures of a run.</summary>
public sealed class FuzzReport
{
    public long Cases { get; set; }
    public long Loads { get; set; }
    public Dictionary<FuzzTarget, long> CasesPerTarget { get; } = [];
    public Dictionary<FuzzTarget, long> AcceptedPerTarget { get; } = [];
    /// <summary>Typed refusals by errno name, over all targets.</summary>
    public Dictionary<string, long> TypedErrors { get; } = [];
    public List<Finding> Findings { get; } = [];
    public TimeSpan Elapsed { get; set; }

    public override string ToString()
    {
        var sb = new System.Text.StringBuilder();
        sb.AppendLine($"cases: {Cases} in {Elapsed.TotalSeconds:F0} s ({Cases / Math.Max(1, Elapsed.TotalSeconds):F0}/s), kernel loads: {Loads}");
        foreach (var (t, n) in CasesPerTarget.OrderBy(kv => kv.Key))
            sb.AppendLine($"  {t}: {n} cases, {AcceptedPerTarget.GetValueOrDefault(t)} accepted, {n - AcceptedPerTarget.GetValueOrDefault(t)} refused with a typed error or violating");
        sb.AppendLine("  typed errors: " + string.Join(", ", TypedErrors.OrderByDescending(kv => kv.Value).Select(kv => $"{kv.Key} {kv.Value}")));
        sb.AppendLine($"findings: {Findings.Count}");
        foreach (var f in Findings)
            sb.AppendLine($"  case {f.Case} {f.Target} on {f.Input}: {f.Violation.Kind}: {f.Violation.Detail}\n    mutation: {f.Mutation}\n    fixture: {f.Fixture ?? "-"}");
        return sb.ToString();
    }
}

/// <summary>
/// The fuzz loop. Case i is a pure function of (seed, i): its target, seed input and mutation come from a
/// generator seeded with both, so any case can be regenerated (<see cref="Reproduce"/>). Findings are minimized
/// (edits dropped while the violation keeps its signature) and written as fixtures; one finding per signature.
/// </summary>
public sealed class FuzzRunner
{
    private readonly Corpus _corpus;
    private readonly FuzzOptions _options;
    private readonly string _pinRoot;
    private readonly bool _canLoad;
    private long _caseStartTicks;
    private long _currentCase = -1;

    public FuzzRunner(Corpus corpus, FuzzOptions options)
    {
        _corpus = corpus;
        _options = options;
        _canLoad = options.LoadEvery > 0 && Environment.UserName == "root" && Directory.Exists("/sys/fs/bpf");
        _pinRoot = Path.Combine("/sys/fs/bpf", $"bpffuzz-{Environment.ProcessId}");
    }

    /// <summary>A case longer than this is a hang: the process reports it and exits (it cannot be interrupted).</summary>
    public static TimeSpan HangLimit { get; set; } = TimeSpan.FromMinutes(2);

    public FuzzReport Run()
    {
        var report = new FuzzReport();
        var signatures = new HashSet<string>();
        var clock = Stopwatch.StartNew();
        var previousPrint = LibbpfLog.SetPrint(null); // a million cases of WARN lines help nobody
        using var state = _options.StateFile is null ? null : File.OpenHandle(_options.StateFile, FileMode.Create, FileAccess.Write);
        using var watchdog = new Timer(_ => CheckHang(), null, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5));
        try
        {
            if (_canLoad)
                Directory.CreateDirectory(_pinRoot);
            WarmUp();
            for (long i = _options.First; i < _options.First + _options.Cases; i++)
            {
                if (_options.MaxDuration is { } max && clock.Elapsed > max)
                    break;
                var c = Generate(i);
                if (state is not null)
                    RandomAccess.Write(state, System.Text.Encoding.ASCII.GetBytes($"{_options.Seed} {i,-20}\n"), 0);
                Volatile.Write(ref _currentCase, i);
                Volatile.Write(ref _caseStartTicks, Stopwatch.GetTimestamp());
                var outcome = CaseCheck.Run(c.Target, c.Bytes, c.Input.Name, c.Input.SplitOnVmlinux, c.Load, _pinRoot);
                Volatile.Write(ref _currentCase, -1);
                Tally(report, c, outcome);
                if (outcome.Violation is { } v && Confirmed(c, v) && signatures.Add(v.Signature))
                    report.Findings.Add(Minimize(i, c, v));
                if (report.Cases % 10_000 == 0)
                    _options.Progress?.Invoke($"{report.Cases} cases, {report.Findings.Count} findings, {clock.Elapsed.TotalSeconds:F0} s");
            }
        }
        finally
        {
            LibbpfLog.SetPrint(previousPrint);
            if (_canLoad && Directory.Exists(_pinRoot))
                Directory.Delete(_pinRoot, recursive: true);
        }
        report.Elapsed = clock.Elapsed;
        return report;
    }

    /// <summary>The mutated bytes of case <paramref name="index"/> and what it runs.</summary>
    public (FuzzTarget Target, string Input, byte[] Bytes, Mutation Mutation) Reproduce(long index)
    {
        var c = Generate(index);
        return (c.Target, c.Input.Name, c.Bytes, c.Mutation);
    }

    private sealed record Case(FuzzTarget Target, FuzzInput Input, Mutation Mutation, byte[] Bytes, bool Load);

    private Case Generate(long index)
    {
        var rng = new Random(Mix(_options.Seed, index));
        var target = _options.Target ?? rng.Next(100) switch
        {
            < 45 => FuzzTarget.Open,
            < 70 => FuzzTarget.Btf,
            < 85 => FuzzTarget.BtfExt,
            _ => FuzzTarget.CDump,
        };
        FuzzInput input;
        if (target is FuzzTarget.Open or FuzzTarget.BtfExt)
            input = _corpus.Objects[rng.Next(_corpus.Objects.Count)];
        else
        {
            // Kernel BTF is megabytes (tens of milliseconds to parse, seconds to dump as C): sampled rarely.
            int oneIn = target == FuzzTarget.Btf ? 300 : 5000;
            bool large = _corpus.LargeBtfs.Count > 0 && rng.Next(oneIn) == 0;
            var pool = large ? _corpus.LargeBtfs : _corpus.RawBtfs;
            input = pool[rng.Next(pool.Count)];
        }
        var mutation = Mutator.Next(input, rng);
        bool load = target == FuzzTarget.Open && _canLoad && index % _options.LoadEvery == 0;
        return new Case(target, input, mutation, mutation.ApplyTo(input.Bytes), load);
    }

    private static int Mix(long seed, long index)
    {
        ulong x = (ulong)seed * 0x9E3779B97F4A7C15UL ^ (ulong)index * 0xC2B2AE3D27D4EB4FUL;
        x ^= x >> 31;
        x *= 0xBF58476D1CE4E5B9UL;
        x ^= x >> 29;
        return (int)(x & 0x7fffffff);
    }

    // First use of kernel BTF, feature probes and the print hook allocates and opens caches once per process.
    private void WarmUp()
    {
        if (_options.IncludeKernelBtf && File.Exists(Corpus.VmlinuxPath))
            _ = BpfLoader.Btf.Btf.KernelVmlinux.LastId;
        if (!_canLoad)
            return;
        foreach (var input in _corpus.Objects.Take(3))
        {
            try
            {
                Targets.Run(FuzzTarget.Open, input.Bytes, input.Name, false, true, _pinRoot);
            }
            catch (BpfException)
            {
            }
        }
    }

    // Time and fd counts are noisy on a shared machine (and the runtime opens files of its own now and then):
    // such violations count only when the case repeats them.
    private bool Confirmed(Case c, Violation v)
        => v.Kind is not ("slow" or "fd-leak")
            || CaseCheck.Run(c.Target, c.Bytes, c.Input.Name, c.Input.SplitOnVmlinux, c.Load, _pinRoot).Violation?.Kind == v.Kind;

    private void Tally(FuzzReport report, Case c, CaseOutcome outcome)
    {
        report.Cases++;
        if (c.Load)
            report.Loads++;
        report.CasesPerTarget[c.Target] = report.CasesPerTarget.GetValueOrDefault(c.Target) + 1;
        if (outcome.Accepted)
            report.AcceptedPerTarget[c.Target] = report.AcceptedPerTarget.GetValueOrDefault(c.Target) + 1;
        else if (outcome.Violation is null)
        {
            string name = Errno.Str(outcome.Errno);
            report.TypedErrors[name] = report.TypedErrors.GetValueOrDefault(name) + 1;
        }
    }

    private Finding Minimize(long index, Case c, Violation violation)
    {
        var mutation = c.Mutation;
        bool Keeps(Mutation m)
            => CaseCheck.Run(c.Target, m.ApplyTo(c.Input.Bytes), c.Input.Name, c.Input.SplitOnVmlinux, c.Load, _pinRoot).Violation?.Signature == violation.Signature;
        if (mutation.TruncateTo is not null && Keeps(mutation with { TruncateTo = null }))
            mutation = mutation with { TruncateTo = null };
        for (int i = mutation.Edits.Count - 1; i >= 0 && mutation.Edits.Count > 1; i--)
        {
            var fewer = mutation with { Edits = mutation.Edits.Where((_, k) => k != i).ToList() };
            if (Keeps(fewer))
                mutation = fewer;
        }
        string? fixture = _options.FixtureDirectory is { } dir
            ? Fixtures.Write(dir, c.Target, c.Input, mutation.ApplyTo(c.Input.Bytes), violation, c.Load)
            : null;
        return new Finding(index, c.Target, c.Input.Name, mutation, violation, fixture);
    }

    private void CheckHang()
    {
        long current = Volatile.Read(ref _currentCase);
        if (current < 0)
            return;
        var running = Stopwatch.GetElapsedTime(Volatile.Read(ref _caseStartTicks));
        if (running < HangLimit || Volatile.Read(ref _currentCase) != current)
            return;
        var c = Generate(current);
        Console.Error.WriteLine($"fuzz: HANG: case {current} (seed {_options.Seed}, {c.Target} on {c.Input.Name}) runs for {running.TotalSeconds:F0} s; mutation: {c.Mutation}");
        if (_options.FixtureDirectory is { } dir)
            Console.Error.WriteLine($"fuzz: fixture {Fixtures.Write(dir, c.Target, c.Input, c.Bytes, new Violation("hang", $"over {HangLimit}"), c.Load)}");
        Environment.Exit(3);
    }
}

/// <summary>
/// Regression fixtures: the minimized input of a finding, gzip-compressed, named
/// <c>&lt;target&gt;[+split]__&lt;input&gt;__&lt;hash&gt;.bin.gz</c>; a normal test replays each with <see cref="Replay"/>.
/// </summary>
public static class Fixtures
{
    /// <param name="load">The case also loaded the object into the kernel (named <c>+load</c>, replayed with a load).</param>
    public static string Write(string directory, FuzzTarget target, FuzzInput input, byte[] bytes, Violation violation, bool load = false)
    {
        Directory.CreateDirectory(directory);
        string safe = new(input.Name.Select(ch => char.IsLetterOrDigit(ch) ? ch : '_').ToArray());
        string hash = Convert.ToHexString(SHA256.HashData(bytes))[..12].ToLowerInvariant();
        string flags = (input.SplitOnVmlinux ? "+split" : "") + (load ? "+load" : "");
        string path = Path.Combine(directory, $"{target.ToString().ToLowerInvariant()}{flags}__{safe}__{hash}.bin.gz");
        using (var file = File.Create(path))
        using (var gz = new GZipStream(file, CompressionLevel.SmallestSize))
            gz.Write(bytes);
        File.WriteAllText(Path.ChangeExtension(path, null) + ".txt", $"{violation.Kind}: {violation.Detail}\n");
        return path;
    }

    /// <summary>
    /// Runs a fixture through its target under the same invariants as the fuzzer. A <c>+load</c> fixture also loads
    /// (pinning under a folder of its own in <paramref name="pinRoot"/>); it runs once first so the process-wide
    /// caches a first load fills (kernel BTF, feature probes) are not counted against the input, as the fuzzer's
    /// warm-up does. An exception or a hang in that first run is reported all the same.
    /// </summary>
    public static CaseOutcome Replay(string path, string pinRoot)
    {
        string file = Path.GetFileName(path);
        var head = file[..file.IndexOf("__", StringComparison.Ordinal)].Split('+');
        var target = Enum.Parse<FuzzTarget>(head[0], ignoreCase: true);
        bool split = head.Contains("split"), load = head.Contains("load");
        using var input = new MemoryStream();
        using (var gz = new GZipStream(File.OpenRead(path), CompressionMode.Decompress))
            gz.CopyTo(input);
        var bytes = input.ToArray();
        var previous = LibbpfLog.SetPrint(null);
        string pins = load ? Path.Combine(pinRoot, $"bpffuzz-replay-{Environment.ProcessId}") : pinRoot;
        try
        {
            if (!load)
                return CaseCheck.Run(target, bytes, file, split, load: false, pins);
            Directory.CreateDirectory(pins);
            var first = CaseCheck.Run(target, bytes, file, split, load: true, pins);
            if (first.Violation is { Kind: "exception" or "slow" })
                return first;
            return CaseCheck.Run(target, bytes, file, split, load: true, pins);
        }
        finally
        {
            LibbpfLog.SetPrint(previous);
            if (load && Directory.Exists(pins))
                Directory.Delete(pins, recursive: true);
        }
    }
}
