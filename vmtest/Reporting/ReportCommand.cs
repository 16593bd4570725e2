using BpfTests.Reporting.Build;
using BpfTests.Reporting.Input;
using BpfTests.Reporting.Model;
using BpfTests.Reporting.Render;

namespace BpfTests.Reporting;

/// <summary>What to report on and where the previous runs are kept.</summary>
public sealed record ReportRequest
{
    /// <summary>The artifacts directory (see <see cref="ArtifactsLayout"/>); the report is written there.</summary>
    public required string Artifacts { get; init; }
    /// <summary>Only these columns (host, a kernel series); empty: every column present.</summary>
    public IReadOnlyCollection<string> Columns { get; init; } = [];
    /// <summary>
    /// The cache of previous runs (<see cref="PreviousRuns"/>); null: use the copy a run left in
    /// <c>previous/</c> of the artifacts (a downloaded CI artifact has it).
    /// </summary>
    public string? PreviousCache { get; init; }
    /// <summary>Keep this run's columns in the cache as the latest runs (only after a real run).</summary>
    public bool Remember { get; init; }
    /// <summary>Append the Markdown to this file (CI: $GITHUB_STEP_SUMMARY).</summary>
    public string? StepSummary { get; init; }
    public DateTimeOffset? Now { get; init; }
}

public sealed record ReportOutput(string Html, string Markdown, ReportModel Model);

/// <summary>
/// Builds the report in steps: find the columns, find each one's previous run (and keep a copy of it
/// in the artifacts), read everything, decide, write HTML and Markdown, remember this run.
/// </summary>
public static class ReportCommand
{
    public const string HtmlName = "report.html";
    public const string MarkdownName = "report.md";

    public static ReportOutput Run(ReportRequest req)
    {
        var columns = ArtifactsLayout.Discover(req.Artifacts, req.Columns);
        if (columns.Count == 0) throw new FileNotFoundException($"no result files under {req.Artifacts} (looked for {ArtifactsLayout.HostResults(req.Artifacts)} and {ArtifactsLayout.VmtestRoot(req.Artifacts)}/*/results)");

        var cache = req.PreviousCache == null ? null : new PreviousRuns(req.PreviousCache);
        var previous = columns.Select(c => (c.Name, Source: FindPrevious(req.Artifacts, c, cache))).Where(p => p.Source != null).ToList();

        var current = columns.Select(c => c.Load()!).ToList();
        var before = previous.Select(p => p.Source!.Load()).OfType<ColumnResults>().ToDictionary(p => p.Info.Name);
        var model = ReportModel.Build(current, before, req.Now ?? DateTimeOffset.UtcNow);

        var html = Path.Combine(req.Artifacts, HtmlName);
        var md = Path.Combine(req.Artifacts, MarkdownName);
        File.WriteAllText(html, HtmlReport.Render(model, Path.GetFullPath(req.Artifacts)));
        var markdown = MarkdownSummary.Render(model);
        File.WriteAllText(md, markdown);
        if (!string.IsNullOrEmpty(req.StepSummary)) File.AppendAllText(req.StepSummary, markdown + "\n");

        if (req.Remember && cache != null)
            foreach (var c in columns) cache.Remember(c);
        return new ReportOutput(html, md, model);
    }

    /// <summary>
    /// With a cache: the cached previous run, copied to <c>previous/&lt;column&gt;</c> so the artifacts
    /// rebuild the same report elsewhere. Without: that copy, if a run left one.
    /// </summary>
    private static ColumnSource? FindPrevious(string artifacts, ColumnSource column, PreviousRuns? cache)
    {
        var kept = Path.Combine(artifacts, ArtifactsLayout.PreviousDir, column.Name);
        if (cache == null)
            return ResultReaders.For(Path.Combine(kept, "results")) != null ? ColumnSource.Kept(column.Name, kept) : null;
        var cached = cache.PreviousOf(column);
        if (cached == null)
        {
            if (Directory.Exists(kept)) Directory.Delete(kept, true);
            return null;
        }
        ColumnCopy.To(cached, kept);
        return ColumnSource.Kept(column.Name, kept);
    }
}
