using BpfTests.Reporting;
using BpfTests.Reporting.Input;
using BpfTests.Vmtest.Provision;
using BpfTests.Vmtest.Run;

namespace BpfTests.Vmtest.Cli;

/// <summary>
/// <c>vmtest report [DIR] [--column NAME]... [--remember]</c>: the HTML report and Markdown summary of
/// the result files in DIR (default: the repository's artifacts/). --remember (run.sh, after a real
/// run) compares with the cached previous run and then keeps this run as the latest; without it the
/// comparison uses the copy in DIR/previous/, so a downloaded CI artifact rebuilds the same report.
/// Also what `vmtest run` leaves for the report: run.json per kernel and the list of kernels run.
/// </summary>
public static class ReportCli
{
    public const string Usage = "  report [DIR] [--column host|S]... [--remember]   HTML report + Markdown summary of DIR's results (default artifacts/)";

    public static int Run(IReadOnlyList<string> args)
    {
        string? dir = null;
        var columns = new List<string>();
        var remember = false;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--column" when i + 1 < args.Count: columns.Add(args[++i]); break;
                case "--remember": remember = true; break;
                case var a when !a.StartsWith("--") && dir == null: dir = a; break;
                default:
                    Console.Error.WriteLine($"vmtest report: unexpected argument {args[i]}\nusage:\n{Usage}");
                    return 64;
            }
        }
        var paths = VmtestPaths.Discover(Environment.CurrentDirectory);
        var artifacts = Path.GetFullPath(dir ?? Path.Combine(paths.RepoRoot, "artifacts"));
        try
        {
            var output = ReportCommand.Run(new ReportRequest
            {
                Artifacts = artifacts,
                Columns = columns,
                PreviousCache = remember ? Path.Combine(paths.CacheRoot, "report") : null,
                Remember = remember,
                StepSummary = Environment.GetEnvironmentVariable("GITHUB_STEP_SUMMARY"),
            });
            var m = output.Model;
            Console.WriteLine($"report: {output.Html} ({m.Rows.Count()} tests × {m.Columns.Count} columns: {m.Failing.Count} failing, {m.Changed.Count} changed, {m.Slower.Count} slower > 2×)");
            return 0;
        }
        catch (Exception e) when (e is FileNotFoundException or FormatException or IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"vmtest report: {e.Message}");
            return 2;
        }
    }

    /// <summary>After each kernel of `vmtest run`: the run facts the result files lack.</summary>
    public static void SaveRunRecord(KernelRunResult r, string? filter) => new RunRecord
    {
        Series = r.Series,
        Release = r.Release,
        Passed = r.Verdict.Passed,
        Problems = r.Verdict.Problems,
        WallSeconds = Math.Round(r.Wall.TotalSeconds, 1),
        InitUptime = r.InitUptime,
        CommandUptime = r.CommandUptime,
        Filter = filter,
    }.Save(Path.Combine(r.ArtifactsDir, RunRecord.FileName));

    /// <summary>After `vmtest run`: which kernels it ran, so older kernel directories stay out of the report.</summary>
    public static void SaveLastRun(VmtestPaths paths, IEnumerable<KernelRunResult> results)
    {
        Directory.CreateDirectory(paths.ArtifactsRoot);
        File.WriteAllLines(Path.Combine(paths.ArtifactsRoot, ArtifactsLayout.LastRunFile), results.Select(r => r.Series));
    }
}
