using BpfTests.Reporting.Model;

namespace BpfTests.Reporting.Build;

/// <summary>
/// One test in one column, with the same test's result in the column's previous run when there is
/// one. <see cref="OutcomeChanged"/> and <see cref="Slower"/> only compare tests present in both runs.
/// </summary>
public sealed record Cell(ColumnInfo Column, TestResult? Result, TestResult? Previous)
{
    /// <summary>Below this a test's time is noise (JIT, page cache), so "2× slower" is not reported.</summary>
    public static readonly TimeSpan SlowFloor = TimeSpan.FromMilliseconds(100);

    public Outcome Outcome => Result?.Outcome ?? Outcome.NotRun;
    public bool OutcomeChanged => Result != null && Previous != null && Previous.Outcome != Result.Outcome;
    public bool Slower => Result != null && Previous != null && Result.Duration >= SlowFloor && Result.Duration > 2 * Previous.Duration;
}

/// <summary>A test across the columns; the filters' flags are decided here.</summary>
public sealed record Row(string Fixture, string Name, string Key, IReadOnlyList<Cell> Cells)
{
    public bool FailedAnywhere => Cells.Any(c => c.Outcome == Outcome.Failed);
    public bool SkippedAnywhere => Cells.Any(c => c.Outcome == Outcome.Skipped || c.Result?.Subtests.Any(s => s.Outcome == Outcome.Skipped) == true);
    /// <summary>
    /// Outcomes (the test's or a subtest's) differ between columns; a test not run on one column
    /// differs too (deny-listed there).
    /// </summary>
    public bool Differs => Cells.Select(Signature).Distinct().Count() > 1;

    private static string Signature(Cell c) =>
        c.Outcome + ":" + string.Join(",", (c.Result?.Subtests ?? []).Select(s => s.Name + "=" + s.Outcome));
    public bool Changed => Cells.Any(c => c.OutcomeChanged);
    public bool Slower => Cells.Any(c => c.Slower);

    /// <summary>Subtest names in first-seen order over the columns.</summary>
    public IReadOnlyList<string> SubtestNames => Cells.SelectMany(c => c.Result?.Subtests ?? []).Select(s => s.Name).Distinct().ToList();
}

public sealed record FixtureGroup(string Fixture, IReadOnlyList<Row> Rows);

/// <summary>Per-column totals for the header.</summary>
public sealed record ColumnCounts(int Passed, int Failed, int Skipped, int NotRun, TimeSpan TestTime);

/// <summary>Everything a report shows, decided from the columns' results; renderers only format it.</summary>
public sealed record ReportModel(IReadOnlyList<ColumnInfo> Columns, IReadOnlyList<FixtureGroup> Fixtures, IReadOnlySet<string> ColumnsWithPrevious, DateTimeOffset Generated)
{
    public IEnumerable<Row> Rows => Fixtures.SelectMany(f => f.Rows);

    public static ReportModel Build(IReadOnlyList<ColumnResults> current, IReadOnlyDictionary<string, ColumnResults> previous, DateTimeOffset generated)
    {
        var byColumn = current.Select(c => c.Tests.GroupBy(t => t.Key).ToDictionary(g => g.Key, g => g.Last())).ToList();
        var prevByColumn = current.Select(c => previous.TryGetValue(c.Info.Name, out var p)
            ? p.Tests.GroupBy(t => t.Key).ToDictionary(g => g.Key, g => g.Last()) : null).ToList();
        var keys = current.SelectMany(c => c.Tests).GroupBy(t => t.Key).Select(g => g.First());
        var fixtures = keys
            .GroupBy(t => t.Fixture)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new FixtureGroup(g.Key, g
                .OrderBy(t => t.Name, StringComparer.Ordinal)
                .Select(t => new Row(t.Fixture, t.Name, t.Key, current.Select((c, i) =>
                    new Cell(c.Info, byColumn[i].GetValueOrDefault(t.Key), prevByColumn[i]?.GetValueOrDefault(t.Key))).ToList()))
                .ToList()))
            .ToList();
        return new ReportModel(current.Select(c => c.Info).ToList(), fixtures,
            current.Where(c => previous.ContainsKey(c.Info.Name)).Select(c => c.Info.Name).ToHashSet(), generated);
    }

    public ColumnCounts Counts(int column)
    {
        var cells = Rows.Select(r => r.Cells[column]).ToList();
        return new ColumnCounts(
            cells.Count(c => c.Outcome == Outcome.Passed), cells.Count(c => c.Outcome == Outcome.Failed),
            cells.Count(c => c.Outcome == Outcome.Skipped), cells.Count(c => c.Outcome == Outcome.NotRun),
            TimeSpan.FromTicks(cells.Sum(c => c.Result?.Duration.Ticks ?? 0)));
    }

    /// <summary>The slowest tests of a column, slowest first.</summary>
    public IReadOnlyList<(Row Row, TimeSpan Time)> Slowest(int column, int count) => Rows
        .Where(r => r.Cells[column].Result != null)
        .Select(r => (r, r.Cells[column].Result!.Duration))
        .OrderByDescending(x => x.Duration).ThenBy(x => x.r.Key, StringComparer.Ordinal)
        .Take(count).ToList();

    public IReadOnlyList<Row> Failing => Rows.Where(r => r.FailedAnywhere).ToList();
    public IReadOnlyList<Row> Changed => Rows.Where(r => r.Changed).ToList();
    public IReadOnlyList<Row> Slower => Rows.Where(r => r.Slower).ToList();
}
