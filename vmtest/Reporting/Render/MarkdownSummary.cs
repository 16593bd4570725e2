using System.Text;
using BpfTests.Reporting.Build;
using BpfTests.Reporting.Input;
using BpfTests.Reporting.Model;

namespace BpfTests.Reporting.Render;

/// <summary>
/// The report as short GitHub-flavoured Markdown for a CI job summary: counts per column, then the
/// failing and the changed tests, each with a log excerpt (the failure message and the last lines).
/// Long lists are cut; the HTML report has everything.
/// </summary>
public static class MarkdownSummary
{
    public const int MaxListed = 20;
    public const int ExcerptLines = 12;

    public static string Render(ReportModel model)
    {
        var sb = new StringBuilder();
        sb.Append("## ").Append(HtmlReport.Title(model)).Append("\n\n");
        sb.Append("| | ").AppendJoin(" | ", model.Columns.Select(c => Cell(c.Name))).Append(" |\n");
        sb.Append("|---|").AppendJoin("", model.Columns.Select(_ => "---:|")).Append('\n');
        Line(sb, "release", model.Columns.Select(c => c.Release ?? "?"));
        Line(sb, "verdict", model.Columns.Select(c => Format.Verdict(c.Passed)));
        var counts = model.Columns.Select((_, i) => model.Counts(i)).ToList();
        Line(sb, "passed", counts.Select(n => n.Passed.ToString()));
        Line(sb, "failed", counts.Select(n => n.Failed > 0 ? $"**{n.Failed}**" : "0"));
        Line(sb, "skipped", counts.Select(n => n.Skipped.ToString()));
        Line(sb, "not run", counts.Select(n => n.NotRun.ToString()));
        Line(sb, "wall", model.Columns.Select(c => c.Wall is { } w ? Format.Duration(w) : "?"));
        sb.Append('\n');

        var problems = model.Columns.SelectMany(c => c.Problems.Select(p => $"- {c.Name}: {p}")).ToList();
        if (problems.Count > 0) sb.Append("### Problems\n\n").AppendJoin('\n', problems.Take(MaxListed).Select(Escape)).Append("\n\n");

        var failing = model.Failing;
        sb.Append($"### Failing tests ({failing.Count})\n\n");
        if (failing.Count == 0) sb.Append("None.\n\n");
        foreach (var r in failing.Take(MaxListed))
        {
            var failed = r.Cells.Where(c => c.Outcome == Outcome.Failed).ToList();
            sb.Append($"- `{r.Key}` fails on {string.Join(", ", failed.Select(c => c.Column.Name))}\n");
            Excerpt(sb, failed[0]);
        }
        More(sb, failing.Count);

        if (model.ColumnsWithPrevious.Count > 0)
        {
            var changed = model.Changed;
            sb.Append($"### Changed since the previous run ({changed.Count})\n\n");
            if (changed.Count == 0) sb.Append("None.\n\n");
            foreach (var r in changed.Take(MaxListed))
            {
                var cells = r.Cells.Where(c => c.OutcomeChanged).ToList();
                sb.Append($"- `{r.Key}`: {string.Join(", ", cells.Select(c => $"{c.Column.Name} {Format.Outcome(c.Previous!.Outcome)} → {Format.Outcome(c.Outcome)}"))}\n");
                // a failing one already has its excerpt above
                if (!failing.Take(MaxListed).Contains(r)) Excerpt(sb, cells[0]);
            }
            More(sb, changed.Count);
            var slower = model.Slower;
            if (slower.Count > 0)
            {
                sb.Append($"### More than 2× slower ({slower.Count})\n\n");
                foreach (var r in slower.Take(MaxListed))
                    sb.Append($"- `{r.Key}`: {string.Join(", ", r.Cells.Where(c => c.Slower).Select(c => $"{c.Column.Name} {Format.Duration(c.Previous!.Duration)} → {Format.Duration(c.Result!.Duration)}"))}\n");
                More(sb, slower.Count);
            }
        }
        return sb.ToString();
    }

    private static void Line(StringBuilder sb, string label, IEnumerable<string> cells) =>
        sb.Append("| ").Append(label).Append(" | ").AppendJoin(" | ", cells.Select(Cell)).Append(" |\n");

    private static void Excerpt(StringBuilder sb, Cell c)
    {
        var t = c.Result!;
        var lines = new List<string>();
        if (t.Message != null) lines.AddRange(t.Message.Split('\n').Take(4));
        var tail = LogSections.Split(t.Log);
        // the harness also prints the failure message as a test line: show it once
        var log = (tail.TestLines + "\n" + tail.LibbpfLog).Split('\n').Where(l => l.Trim().Length > 0 && !lines.Contains(l)).ToList();
        lines.AddRange(log.Skip(Math.Max(0, log.Count - ExcerptLines)));
        if (lines.Count == 0) return;
        sb.Append($"  <details><summary>log on {c.Column.Name}</summary>\n\n  ```\n");
        foreach (var l in lines) sb.Append("  ").Append(l.Replace("```", "'''")).Append('\n');
        sb.Append("  ```\n  </details>\n\n");
    }

    private static void More(StringBuilder sb, int count)
    {
        if (count > MaxListed) sb.Append($"\n… and {count - MaxListed} more (see the HTML report).\n");
        sb.Append('\n');
    }

    private static string Cell(string s) => s.Replace("|", "\\|");
    private static string Escape(string s) => s.Replace("<", "&lt;");
}
