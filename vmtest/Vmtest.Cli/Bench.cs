using BpfTests.Vmtest.Provision;
using BpfTests.Vmtest.Run;

/// <summary>
/// Benchmark (not a timed test): per kernel, a run of `true` (boot to init, whole VM wall) and
/// one trivial test through each in-guest runner.
/// </summary>
internal static class Bench
{
    public static async Task<int> RunAsync(Provisioner provisioner, IEnumerable<string> kernels, IProgress progress, CancellationToken ct)
    {
        var runner = new KernelRun(provisioner, progress);
        var rows = new List<string>();
        foreach (var s in kernels)
        {
            var boot = await runner.RunAsync(new RunRequest { Series = s, Mode = TestMode.Shell, ShellCommand = "true", UseDenyList = false,
                ArtifactsDir = Path.Combine(provisioner.Paths.ArtifactsRoot, "bench", s, "boot") }, ct);
            var row = $"{s,-6} init {boot.InitUptime,5:F2}s  command {boot.CommandUptime,5:F2}s  `true` VM wall {boot.Vm.Wall.TotalSeconds,5:F1}s";
            foreach (var mode in new[] { TestMode.Mtp, TestMode.DotnetTest })
            {
                var r = await runner.RunAsync(new RunRequest { Series = s, Mode = mode, Filter = "Name=ProgsAreBuilt", UseDenyList = false,
                    ArtifactsDir = Path.Combine(provisioner.Paths.ArtifactsRoot, "bench", s, mode.ToString()) }, ct);
                row += $"  {mode}: {r.Vm.Wall.TotalSeconds,5:F1}s{(r.Verdict.Passed ? "" : " (FAIL)")}";
            }
            rows.Add(row);
            progress.Info(s, row);
        }
        Console.WriteLine(string.Join('\n', rows));
        return 0;
    }
}
