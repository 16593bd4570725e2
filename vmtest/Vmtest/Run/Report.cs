namespace BpfTests.Vmtest.Run;

/// <summary>The per-kernel verdict block: problems, splats, and for a red run the console and test output tails.</summary>
public static class Report
{
    public static void Kernel(KernelRunResult r, TextWriter w)
    {
        var v = r.Verdict;
        w.WriteLine($"=== kernel {r.Series} ({r.Release}): {(v.Passed ? "PASS" : "FAIL")} in {r.Wall.TotalSeconds:F1} s; init at {r.InitUptime?.ToString("F2") ?? "?"} s, tests started at {r.CommandUptime?.ToString("F2") ?? "?"} s guest uptime");
        foreach (var p in v.Problems) w.WriteLine($"    problem: {p}");
        foreach (var s in v.Splats.Take(20)) w.WriteLine($"    splat: {s.Source}:{s.Line}: {s.Text}");
        if (!v.Passed)
        {
            var console = Path.Combine(r.ArtifactsDir, "console.log");
            if (File.Exists(console))
            {
                w.WriteLine("    --- console tail ---");
                foreach (var l in BpfTests.Vmtest.Exec.ProcessRunner.Tail(File.ReadAllText(console), 30).Split('\n')) w.WriteLine("    | " + l);
            }
            var output = Path.Combine(r.ArtifactsDir, "output.log");
            if (File.Exists(output))
            {
                w.WriteLine("    --- test output tail ---");
                foreach (var l in BpfTests.Vmtest.Exec.ProcessRunner.Tail(File.ReadAllText(output), 30).Split('\n')) w.WriteLine("    | " + l);
            }
        }
        w.WriteLine($"    artifacts: {r.ArtifactsDir}");
    }
}
