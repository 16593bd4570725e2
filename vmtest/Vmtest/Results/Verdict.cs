using BpfTests.Vmtest.Boot;

namespace BpfTests.Vmtest.Results;

/// <summary>What the guest left on the work share: status lines ("key:value") in order.</summary>
public sealed record GuestStatus(IReadOnlyList<string> Lines)
{
    public static GuestStatus? Load(string path) => File.Exists(path) ? new GuestStatus(File.ReadAllLines(path)) : null;
    public string? Value(string key) => Lines.LastOrDefault(l => l.StartsWith(key + ":"))?[(key.Length + 1)..];
    public bool Started => Lines.Contains("started");
    public bool CleanShutdown => Lines.Contains("shutdown:clean");
    public int? RunExitCode => int.TryParse(Value("run"), out var rc) ? rc : null;
}

/// <summary>
/// The judgement of one kernel's run from independent signals; green only when every one agrees.
/// A signal that is missing (no status file, no results) is a failure, never a pass.
/// </summary>
public sealed record Verdict(IReadOnlyList<string> Problems, TrxSummary? Tests, IReadOnlyList<Splat> Splats)
{
    public bool Passed => Problems.Count == 0;

    public static Verdict Judge(VmExit vm, GuestStatus? status, TrxSummary? tests, string? testsError, IReadOnlyList<Splat> splats, string? splatError)
    {
        var p = new List<string>();
        if (vm.TimedOut) p.Add($"host timeout after {vm.Wall.TotalSeconds:F0} s: the guest hung (QEMU killed)");
        if (vm.EarlyKillReason != null) p.Add($"fatal console line, QEMU killed: {vm.EarlyKillReason}");
        if (vm.QemuExitCode is { } qc && qc != 0)
            p.Add(qc switch
            {
                1 => "QEMU exited 1: guest kernel panic (pvpanic)",
                > 128 and < 160 => $"QEMU was killed by signal {qc - 128}{(qc == 137 ? " (SIGKILL: killed from outside, or out of memory)" : "")}",
                _ => $"QEMU exited {qc}",
            });
        if (status == null) p.Add("no status file: the guest never reached its init (or could not mount the work share)");
        else
        {
            if (!status.CleanShutdown) p.Add("status file lacks 'shutdown:clean': the guest died before its init finished");
            if (status.RunExitCode is { } rc && rc != 0) p.Add($"the test command exited {rc}");
            else if (status.RunExitCode == null && status.CleanShutdown) p.Add("status file has no 'run:' line");
        }
        if (tests == null) p.Add("no test results: " + (testsError ?? "missing"));
        else
        {
            if (tests.Failed > 0) p.Add($"{tests.Failed} test(s) failed: {string.Join(", ", tests.FailedTests.Take(10))}");
            if (tests.Total == 0) p.Add("ran no test");
        }
        if (splatError != null) p.Add("splat scan could not run: " + splatError);
        if (splats.Count > 0) p.Add($"kernel_splats: {splats.Count} line(s), first: {splats[0].Text}");
        return new Verdict(p, tests, splats);
    }
}
