using System.Reflection;
using System.Text.Json;
using System.Xml.Linq;
using BpfTests.Reporting.Build;
using BpfTests.Reporting.Input;
using BpfTests.Reporting.Model;

namespace BpfTests.Reporting.Render;

/// <summary>
/// The report as one self-contained HTML page (inline CSS and script, no network): the columns'
/// run facts, the filters, the grid of tests × columns with expandable subtests, the slowest and the
/// changed tests, and every cell's log as JSON that the page's script shows on click.
/// Written through XElement so the page is also well-formed XML (tests parse it with XDocument);
/// no element is left self-closing unless HTML allows it.
/// </summary>
public static class HtmlReport
{
    public const int SlowestShown = 10;

    public static string Render(ReportModel model, string source)
    {
        var logs = new Page();
        var html = new XElement("html", new XAttribute("lang", "en"),
            new XElement("head",
                new XElement("meta", new XAttribute("charset", "utf-8")),
                new XElement("meta", new XAttribute("name", "viewport"), new XAttribute("content", "width=device-width, initial-scale=1")),
                E("title", Title(model)),
                new XElement("style", new XText("/*"), new XCData("*/\n" + Resource("report.css") + "/*"), new XText("*/"))),
            new XElement("body",
                E("h1", Title(model)),
                E("p", $"generated {Format.Time(model.Generated)} from {source}; " + PreviousNote(model), ("class", "meta")),
                ColumnsTable(model),
                Filters(model),
                Grid(model, logs),
                Lists(model),
                new XElement("aside", new XAttribute("id", "log"), new XAttribute("hidden", "hidden"),
                    E("button", "close", ("id", "log-close"), ("type", "button")),
                    E("h2", "", ("id", "log-title")),
                    E("div", "", ("id", "log-body"))),
                E("script", JsonSerializer.Serialize(logs.Logs, Page.Json), ("type", "application/json"), ("id", "logs")),
                new XElement("script", new XText("//"), new XCData("\n" + Resource("report.js") + "//"), new XText("\n"))));
        return "<!DOCTYPE html>\n" + html.ToString(SaveOptions.DisableFormatting) + "\n";
    }

    public static string Title(ReportModel model) =>
        $"BpfTests: {model.Rows.Count()} tests on {string.Join(", ", model.Columns.Select(c => c.Name))}";

    private static string PreviousNote(ReportModel model) => model.ColumnsWithPrevious.Count == 0
        ? "no previous run to compare with"
        : $"compared with the previous run of {string.Join(", ", model.ColumnsWithPrevious)}";

    private static XElement ColumnsTable(ReportModel model)
    {
        var header = new XElement("tr", new[] { "column", "kernel release", "verdict", "passed", "failed", "skipped", "not run", "wall", "init at", "tests from", "finished", "problems" }.Select(h => E("th", h)));
        var rows = model.Columns.Select((c, i) =>
        {
            var n = model.Counts(i);
            return new XElement("tr", new XAttribute("data-col", c.Name),
                E("th", c.Name),
                E("td", c.Release ?? "?"),
                E("td", Format.Verdict(c.Passed), ("class", c.Passed switch { true => "verdict-pass", false => "verdict-fail", _ => "" })),
                E("td", n.Passed.ToString(), ("class", "num")),
                E("td", n.Failed.ToString(), ("class", "num")),
                E("td", n.Skipped.ToString(), ("class", "num")),
                E("td", n.NotRun.ToString(), ("class", "num")),
                E("td", c.Wall is { } w ? Format.Duration(w) : "?", ("class", "num")),
                E("td", Format.Seconds(c.InitUptime), ("class", "num")),
                E("td", Format.Seconds(c.CommandUptime), ("class", "num")),
                E("td", Format.Time(c.Finished)),
                new XElement("td", c.Problems.Count == 0
                    ? new XText(c.Filter != null ? $"filter: {c.Filter}" : "")
                    : new XElement("ul", new XAttribute("class", "problems"), c.Problems.Select(p => E("li", p)))));
        });
        return new XElement("table", new XAttribute("id", "columns"), header, rows);
    }

    private static XElement Filters(ReportModel model)
    {
        XElement Box(string filter, string label, int count) => new("label",
            new XElement("input", new XAttribute("type", "checkbox"), new XAttribute("id", "f-" + filter), new XAttribute("data-filter", filter)),
            new XText($" {label} ({count})"));
        var rows = model.Rows.ToList();
        return new XElement("nav", new XAttribute("id", "filters"),
            Box("failed", "failed anywhere", rows.Count(r => r.FailedAnywhere)),
            Box("differs", "differs between columns", rows.Count(r => r.Differs)),
            Box("skipped", "skipped", rows.Count(r => r.SkippedAnywhere)),
            Box("changed", "changed since previous", rows.Count(r => r.Changed)),
            Box("slower", "slower > 2×", rows.Count(r => r.Slower)),
            new XElement("input", new XAttribute("type", "search"), new XAttribute("id", "q"), new XAttribute("placeholder", "search tests")),
            E("span", $"showing {rows.Count} of {rows.Count} tests", ("id", "shown")));
    }

    private static XElement Grid(ReportModel model, Page logs)
    {
        var head = new XElement("thead", new XElement("tr", E("th", "test"),
            model.Columns.Select(c => E("th", c.Release != null ? $"{c.Name} ({c.Release})" : c.Name, ("data-col", c.Name)))));
        var bodies = model.Fixtures.Select(f => new XElement("tbody", new XAttribute("data-fixture", f.Fixture),
            FixtureRow(model, f),
            f.Rows.SelectMany(r => TestRows(r, logs))));
        return new XElement("table", new XAttribute("id", "grid"), head, bodies);
    }

    private static XElement FixtureRow(ReportModel model, FixtureGroup f) =>
        new("tr", new XAttribute("class", "fix"),
            E("th", $"{Format.ShortFixture(f.Fixture)} ({f.Rows.Count})", ("title", f.Fixture)),
            model.Columns.Select((c, i) =>
            {
                var cells = f.Rows.Select(r => r.Cells[i]).ToList();
                int N(Outcome o) => cells.Count(x => x.Outcome == o);
                var parts = new[] { (N(Outcome.Passed), "ok"), (N(Outcome.Failed), "failed"), (N(Outcome.Skipped), "skipped") }.Where(p => p.Item1 > 0).Select(p => $"{p.Item1} {p.Item2}").ToList();
                return E("td", parts.Count == 0 ? "not run" : string.Join(", ", parts), ("class", N(Outcome.Failed) > 0 ? "has-fail" : ""));
            }));

    private static IEnumerable<XElement> TestRows(Row r, Page logs)
    {
        var id = "t" + logs.NextRow++;
        var subs = r.SubtestNames;
        var search = (r.Key + " " + string.Join(" ", subs)).ToLowerInvariant();
        var name = new XElement("th", new XAttribute("class", "name"), new XAttribute("title", r.Key));
        if (subs.Count > 0)
            name.Add(E("button", $"▸ {subs.Count}", ("class", "tog"), ("type", "button"), ("data-row", id), ("data-count", subs.Count.ToString()), ("title", "subtests")));
        name.Add(new XText(r.Name));
        yield return new XElement("tr", new XAttribute("class", "test"), new XAttribute("id", id), new XAttribute("data-key", r.Key),
            Flag("failed", r.FailedAnywhere), Flag("differs", r.Differs), Flag("skipped", r.SkippedAnywhere),
            Flag("changed", r.Changed), Flag("slower", r.Slower), new XAttribute("data-search", search),
            name, r.Cells.Select(c => TestCell(r, c, logs)));
        foreach (var sub in subs)
            yield return new XElement("tr", new XAttribute("class", "sub"), new XAttribute("data-parent", id), new XAttribute("hidden", "hidden"),
                E("th", sub, ("class", "name"), ("title", $"{r.Key}/{sub}")),
                r.Cells.Select(c => SubCell(r, sub, c, logs)));
    }

    private static XAttribute Flag(string name, bool on) => new("data-" + name, on ? "1" : "0");

    private static XElement TestCell(Row row, Cell c, Page logs)
    {
        var td = new XElement("td", new XAttribute("class", $"c {Format.CssClass(c.Outcome)}"), new XAttribute("data-col", c.Column.Name));
        if (c.Result is not { } t)
        {
            td.Add(new XAttribute("title", $"{row.Key} did not run on {c.Column.Name}"), new XText(Format.Outcome(Outcome.NotRun)));
            return td;
        }
        var logId = logs.Add(LogEntry.For($"{row.Key} on {c.Column.Name}: {Format.Outcome(t.Outcome)} in {Format.Duration(t.Duration)}", t.Log, t.Message, t.StackTrace));
        var title = t.Outcome == Outcome.Skipped && t.SkipReason != null ? $"SKIP: {t.SkipReason}" : $"{Format.Outcome(t.Outcome)} in {Format.Duration(t.Duration)}";
        if (c.OutcomeChanged) title += $"; was {Format.Outcome(c.Previous!.Outcome)} in the previous run";
        if (c.Slower) title += $"; took {Format.Duration(c.Previous!.Duration)} in the previous run";
        td.Add(new XAttribute("data-log", logId), new XAttribute("title", title), new XText(Format.Outcome(t.Outcome)), E("span", Format.Duration(t.Duration), ("class", "d")));
        if (c.OutcomeChanged) td.Add(E("span", "changed", ("class", "flag changed")));
        if (c.Slower) td.Add(E("span", "slower", ("class", "flag slow")));
        return td;
    }

    private static XElement SubCell(Row row, string sub, Cell c, Page logs)
    {
        var s = c.Result?.Subtests.FirstOrDefault(x => x.Name == sub);
        var outcome = s?.Outcome ?? Outcome.NotRun;
        var td = new XElement("td", new XAttribute("class", $"c {Format.CssClass(outcome)}"), new XAttribute("data-col", c.Column.Name), new XText(Format.Outcome(outcome)));
        if (s == null) return td;
        var logId = logs.Add(LogEntry.For($"{row.Key}/{sub} on {c.Column.Name}: {Format.Outcome(outcome)}", s.Log, null, null));
        td.Add(new XAttribute("data-log", logId), new XAttribute("title", outcome == Outcome.Skipped ? "SKIP: " + LastLine(s.Log) : Format.Outcome(outcome)));
        return td;
    }

    private static XElement Lists(ReportModel model)
    {
        var slowest = model.Columns.Select((c, i) => new XElement("div",
            E("h3", $"{c.Name}"),
            new XElement("ol", model.Slowest(i, SlowestShown).Select(x => E("li", $"{Format.Duration(x.Time)}  {x.Row.Key}")))));
        var changed = model.Changed.SelectMany(r => r.Cells.Where(c => c.OutcomeChanged).Select(c =>
            E("li", $"{r.Key} on {c.Column.Name}: {Format.Outcome(c.Previous!.Outcome)} → {Format.Outcome(c.Outcome)}"))).ToList();
        var slower = model.Slower.SelectMany(r => r.Cells.Where(c => c.Slower).Select(c =>
            E("li", $"{r.Key} on {c.Column.Name}: {Format.Duration(c.Previous!.Duration)} → {Format.Duration(c.Result!.Duration)}"))).ToList();
        return new XElement("section", new XAttribute("id", "lists"),
            E("h2", $"Slowest tests (top {SlowestShown} per column)"),
            new XElement("div", new XAttribute("class", "lists"), slowest),
            E("h2", "Changed since the previous run"),
            changed.Count > 0 ? new XElement("ul", new XAttribute("id", "changed"), changed) : E("p", model.ColumnsWithPrevious.Count == 0 ? "No previous run to compare with." : "No outcome changed."),
            E("h2", "More than 2× slower than the previous run"),
            slower.Count > 0 ? new XElement("ul", new XAttribute("id", "slower"), slower) : E("p", model.ColumnsWithPrevious.Count == 0 ? "No previous run to compare with." : $"None (tests under {Format.Duration(Cell.SlowFloor)} are not compared)."));
    }

    private static string LastLine(string log) => log.Split('\n').LastOrDefault(l => l.Trim().Length > 0)?.Trim() ?? "";

    /// <summary>An element with text and attributes; empty text still writes a closing tag (HTML needs it).</summary>
    private static XElement E(string name, string text, params (string Name, string Value)[] attrs)
    {
        var e = new XElement(name, attrs.Where(a => a.Value.Length > 0).Select(a => new XAttribute(a.Name, a.Value)));
        e.Add(new XText(text));
        return e;
    }

    private static string Resource(string name)
    {
        using var s = Assembly.GetExecutingAssembly().GetManifestResourceStream(name) ?? throw new InvalidOperationException($"resource {name} missing");
        return new StreamReader(s).ReadToEnd();
    }
}

/// <summary>What rendering collects on the way: every cell's log by id, and row ids.</summary>
internal sealed class Page
{
    public static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };
    public Dictionary<string, LogEntry> Logs { get; } = [];
    public int NextRow;

    public string Add(LogEntry entry)
    {
        var id = "L" + Logs.Count;
        Logs[id] = entry;
        return id;
    }
}

/// <summary>One cell's log as the page's script reads it (short keys keep the page small).</summary>
public sealed record LogEntry(string h, string? m, string? s, string? t, string? l, IReadOnlyList<string>? v)
{
    public static LogEntry For(string heading, string log, string? message, string? stack)
    {
        var parts = LogSections.Split(log);
        return new LogEntry(heading, message, stack, Empty(parts.TestLines), Empty(parts.LibbpfLog), parts.VerifierLogs.Count > 0 ? parts.VerifierLogs : null);
    }

    private static string? Empty(string s) => s.Length == 0 ? null : s;
}
