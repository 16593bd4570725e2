namespace BpfTests.Reporting.Input;

/// <summary>
/// The columns in an artifacts directory as run.sh and vmtest leave it:
/// <c>test-results/</c> (the host suite, with <c>kernel-release</c>), <c>vmtest/&lt;series&gt;/results/</c>
/// with <c>vmtest/&lt;series&gt;/run.json</c>, and <c>vmtest/last-run</c> naming the kernels of the latest
/// <c>vmtest run</c> (older kernel directories left from earlier runs are not part of the report).
/// </summary>
public static class ArtifactsLayout
{
    public const string LastRunFile = "last-run";
    public const string PreviousDir = "previous";

    public static string HostResults(string artifacts) => Path.Combine(artifacts, "test-results");
    public static string VmtestRoot(string artifacts) => Path.Combine(artifacts, "vmtest");

    public static ColumnSource Host(string artifacts) =>
        new(ColumnSource.HostColumn, HostResults(artifacts), null, Path.Combine(HostResults(artifacts), ColumnSource.ReleaseFileName));

    public static ColumnSource Kernel(string artifacts, string series)
    {
        var dir = Path.Combine(VmtestRoot(artifacts), series);
        return new ColumnSource(series, Path.Combine(dir, "results"), Path.Combine(dir, RunRecord.FileName));
    }

    /// <summary>
    /// The columns present, host first, then kernels in version order. <paramref name="only"/>
    /// restricts to the named columns (still only those with results).
    /// </summary>
    public static IReadOnlyList<ColumnSource> Discover(string artifacts, IReadOnlyCollection<string>? only = null)
    {
        var columns = new List<ColumnSource>();
        var host = Host(artifacts);
        if (ResultReaders.For(host.ResultsDir) != null) columns.Add(host);
        foreach (var series in KernelSeries(artifacts))
        {
            var k = Kernel(artifacts, series);
            if (ResultReaders.For(k.ResultsDir) != null) columns.Add(k);
        }
        return only is { Count: > 0 } ? columns.Where(c => only.Contains(c.Name)).ToList() : columns;
    }

    private static IEnumerable<string> KernelSeries(string artifacts)
    {
        var root = VmtestRoot(artifacts);
        var lastRun = Path.Combine(root, LastRunFile);
        var series = File.Exists(lastRun)
            ? File.ReadAllLines(lastRun).Select(l => l.Trim()).Where(l => l.Length > 0)
            : Directory.Exists(root) ? Directory.GetDirectories(root).Select(Path.GetFileName).OfType<string>() : [];
        return series.OrderBy(SeriesOrder).ThenBy(s => s, StringComparer.Ordinal);
    }

    /// <summary>"6.12" after "6.1" and "6.2"; names that are not versions go last.</summary>
    public static Version SeriesOrder(string series) => Version.TryParse(series.Contains('.') ? series : series + ".0", out var v) ? v : new Version(int.MaxValue, 0);
}
