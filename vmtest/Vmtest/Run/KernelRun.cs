using System.Diagnostics;
using System.Text.RegularExpressions;
using BpfTests.Vmtest.Boot;
using BpfTests.Vmtest.Exec;
using BpfTests.Vmtest.Provision;
using BpfTests.Vmtest.Results;

namespace BpfTests.Vmtest.Run;

/// <summary>What to run on one kernel.</summary>
public sealed record RunRequest
{
    public required string Series { get; init; }
    public TestMode Mode { get; init; } = TestMode.TestProgs;
    /// <summary>A user filter (VSTest/MTP syntax), combined with the deny list.</summary>
    public string? Filter { get; init; }
    public string? ShellCommand { get; init; }
    /// <summary>Guest-side limit for the test command; the host allows boot and shutdown on top.</summary>
    public TimeSpan TestTimeout { get; init; } = TimeSpan.FromMinutes(20);
    public TimeSpan BootAllowance { get; init; } = TimeSpan.FromSeconds(90);
    /// <summary>Host wall-clock limit for the whole VM; default TestTimeout + BootAllowance.</summary>
    public TimeSpan? HostTimeout { get; init; }
    /// <summary>Set BPFTESTS_NO_SKIP=1 in the guest: a gated skip fails (for kernels expected to have every feature).</summary>
    public bool NoSkip { get; init; }
    public bool TryKvm { get; init; }
    /// <summary>Where artifacts go (default artifacts/vmtest/&lt;series&gt;).</summary>
    public string? ArtifactsDir { get; init; }
    public bool UseDenyList { get; init; } = true;
    /// <summary>TestProgs mode: test_progs flags from the user (e.g. -a subskeleton -v), after the deny list.</summary>
    public IReadOnlyList<string> TestProgsArgs { get; init; } = [];
    /// <summary>DotnetTest mode: an absolute path to any test assembly (a project of the user's) instead of this repository's suite.</summary>
    public string? Assembly { get; init; }
}

public sealed record KernelRunResult(string Series, string Release, Verdict Verdict, VmExit Vm, string ArtifactsDir, TimeSpan Wall, double? InitUptime, double? CommandUptime);

/// <summary>
/// One kernel, one guest: provision (cached), write the guest files, boot, watch, judge, keep
/// artifacts (console.log, dmesg.txt, status, output.log, results/).
/// </summary>
public sealed class KernelRun(Provisioner provisioner, IProgress progress)
{
    public async Task<KernelRunResult> RunAsync(RunRequest req, CancellationToken ct = default)
    {
        var clock = Stopwatch.StartNew();
        var paths = provisioner.Paths;
        var pin = provisioner.Lock.Kernel(req.Series);
        progress.Info(req.Series, $"kernel {pin.Release}: preparing (cached after the first run)");
        var kernel = await provisioner.KernelAsync(pin, ct);
        var qemu = await provisioner.QemuAsync(ct);
        var testmod = await provisioner.TestmodAsync(kernel, ct);
        var initrd = await Initramfs.EnsureAsync(paths, kernel, ct);
        Preflight.CheckVisibleInGuest([paths.RepoRoot, paths.CacheRoot, .. req.Assembly is null ? [] : new[] { req.Assembly }]);

        var prereq = TestCommand.Prerequisite(req.Mode, paths.RepoRoot, req.Assembly);
        if (prereq != null && !File.Exists(prereq))
            throw new VmtestException($"{prereq} is not built: build on the host first (./run.sh builds it); the guest never builds");

        var artifacts = req.ArtifactsDir ?? Path.Combine(paths.ArtifactsRoot, req.Series);
        if (Directory.Exists(artifacts)) Directory.Delete(artifacts, true);
        var results = Path.Combine(artifacts, "results");
        Directory.CreateDirectory(results);

        // deny lists: merged into one file for the harness, and a filter for the test runner
        var kvm = req.TryKvm && await KvmProbe.WorksAsync(provisioner, kernel, initrd, progress, ct);
        string? filter = req.Filter;
        var testProgsArgs = new List<string>();
        var env = new Dictionary<string, string>
        {
            ["BPFTESTS_VMTEST"] = "1",
            ["BPFTESTS_KERNEL_SERIES"] = req.Series,
            ["BPFTESTS_TESTMOD"] = testmod,
        };
        if (req.NoSkip) env["BPFTESTS_NO_SKIP"] = "1";
        if (req.Mode == TestMode.TestProgs) env[TestProgsResults.EveryTestVariable] = "1"; // every test in -J, for the report
        if (req.UseDenyList)
        {
            var deny = DenyList.Load(DenyList.FilesFor(paths.DenyListDir, req.Series, tcg: !kvm));
            var merged = Path.Combine(artifacts, "denylist");
            File.WriteAllText(merged, DenyList.Render(deny));
            env["BPFTESTS_DENYLIST"] = merged;
            if (req.Mode == TestMode.TestProgs)
            {
                testProgsArgs.AddRange(["-d", "@" + merged]); // test_progs applies the list itself, subtest entries included
            }
            else
            {
                var denyFilter = DenyList.ToTestFilter(deny, out var left);
                foreach (var e in left) progress.Info(req.Series, $"deny entry '{e.Pattern}' ({e.Source}:{e.Line}) is left to the harness (BPFTESTS_DENYLIST): no test filter can express it");
                if (denyFilter != null) filter = filter == null ? denyFilter : $"({filter})&({denyFilter})";
            }
        }
        testProgsArgs.AddRange(req.TestProgsArgs);

        var command = TestCommand.For(req.Mode, paths.RepoRoot, results, filter, req.ShellCommand, testProgsArgs, req.Assembly);
        GuestScript.Write(artifacts, kernel, paths.RepoRoot, command, req.TestTimeout, env);

        var runDir = Directory.CreateTempSubdirectory("bpftests-vm-").FullName;
        VmExit vm;
        var tally = new TestTally(req.Mode);
        try
        {
            var options = new VmOptions
            {
                Kernel = kernel.Vmlinuz, Initrd = initrd, WorkDir = artifacts, RunDir = runDir,
                Timeout = req.HostTimeout ?? req.TestTimeout + req.BootAllowance, Kvm = kvm, Lpj = Lpj.Cached(paths),
            };
            progress.Info(req.Series, $"booting {(kvm ? "KVM" : "TCG")} guest (host timeout {options.Timeout.TotalSeconds:F0} s)");
            using var output = new TailWhenPresent(Path.Combine(artifacts, "output.log"));
            vm = await QemuVm.RunAsync(qemu, options,
                line => { if (line.StartsWith("vmtest:")) progress.Info(req.Series, line); },
                () =>
                {
                    var changed = false;
                    foreach (var l in output.ReadNewLines()) changed |= tally.Add(l);
                    if (changed) progress.Tests(req.Series, tally.Counts, finished: false);
                }, ct);
            foreach (var l in output.ReadNewLines()) tally.Add(l);
            progress.Tests(req.Series, tally.Counts, finished: true);
            foreach (var f in new[] { "console.log", "qemu.cmdline", "qemu.log", "virtiofsd-root.log", "virtiofsd-work.log" })
                if (File.Exists(Path.Combine(runDir, f))) File.Copy(Path.Combine(runDir, f), Path.Combine(artifacts, f), true);
        }
        finally
        {
            await CacheEntry.RemoveTreeAsync(runDir);
        }

        var status = GuestStatus.Load(Path.Combine(artifacts, "status"));
        TrxSummary? tests = null;
        string? testsError = null;
        var trx = Path.Combine(results, TestCommand.TrxName);
        var json = Path.Combine(results, TestCommand.TestProgsJsonName);
        if (req.Mode == TestMode.Shell) tests = new TrxSummary(1, status?.RunExitCode == 0 ? 1 : 0, status?.RunExitCode == 0 ? 0 : 1, 0, []);
        else if (req.Mode == TestMode.TestProgs && !File.Exists(json)) testsError = $"no {json}";
        else if (req.Mode == TestMode.TestProgs)
        {
            // an empty file: test_progs was killed before its summary (or ran with -l/-c)
            try { tests = TestProgsResults.Load(json, File.ReadLines(Path.Combine(artifacts, "output.log"))); }
            catch (Exception e) when (e is IOException or System.Text.Json.JsonException or KeyNotFoundException or InvalidOperationException) { testsError = $"{json}: {e.Message}"; }
        }
        else if (File.Exists(trx))
        {
            try { tests = TrxSummary.Load(trx); } catch (Exception e) { testsError = $"{trx}: {e.Message}"; }
        }
        else testsError = $"no {trx}";

        var (splats, splatError) = ScanSplats(paths, artifacts);
        var verdict = Verdict.Judge(vm, status, tests, testsError, splats, splatError);
        var dmesg = Path.Combine(artifacts, "dmesg.txt");
        if (File.Exists(dmesg)) Lpj.Remember(paths, File.ReadAllText(dmesg));
        return new KernelRunResult(req.Series, kernel.Release, verdict, vm, artifacts, clock.Elapsed,
            double.TryParse(status?.Value("init-uptime"), System.Globalization.CultureInfo.InvariantCulture, out var iu) ? iu : null,
            double.TryParse(status?.Value("command-uptime"), System.Globalization.CultureInfo.InvariantCulture, out var cu) ? cu : null);
    }

    private static (IReadOnlyList<Splat>, string?) ScanSplats(VmtestPaths paths, string artifacts)
    {
        try
        {
            var scanner = SplatScanner.Load(Path.Combine(paths.DenyListDir, "splat-allowlist"));
            var hits = new List<Splat>();
            foreach (var f in new[] { "console.log", "dmesg.txt" })
            {
                var p = Path.Combine(artifacts, f);
                if (File.Exists(p)) hits.AddRange(scanner.Scan(File.ReadLines(p), f));
            }
            // the same splat appears in both files: report it once
            return (hits.DistinctBy(h => StripTimestamp(h.Text)).ToList(), null);
        }
        catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException)
        {
            return ([], e.Message);
        }
    }

    private static string StripTimestamp(string line) => Regex.Replace(line, @"^\[\s*[0-9.]+\]\s*", "");
}

/// <summary>Tails a file that may not exist yet (the guest creates it).</summary>
internal sealed class TailWhenPresent(string path) : IDisposable
{
    private FileTail? _tail;
    public IEnumerable<string> ReadNewLines()
    {
        if (_tail == null && File.Exists(path)) _tail = new FileTail(path);
        return _tail?.ReadNewLines() ?? [];
    }
    public void Dispose() => _tail?.Dispose();
}
