using BpfTests.Reporting.Model;

namespace BpfTests.Reporting.Input;

/// <summary>
/// Where one column's files are: the result files' directory, and the optional run facts
/// (<see cref="RunRecord"/> file, a one-line kernel release file for the host suite).
/// </summary>
public sealed record ColumnSource(string Name, string ResultsDir, string? RunRecordPath = null, string? ReleasePath = null)
{
    public const string HostColumn = "host";
    public const string ReleaseFileName = "kernel-release";

    /// <summary>Reads the column; null when no reader understands its directory.</summary>
    public ColumnResults? Load()
    {
        var reader = ResultReaders.For(ResultsDir);
        if (reader == null) return null;
        var set = reader.Read(ResultsDir);
        var record = RunRecordPath == null ? null : RunRecord.Load(RunRecordPath);
        var release = record?.Release ?? (ReleasePath != null && File.Exists(ReleasePath) ? File.ReadAllText(ReleasePath).Trim() : null);
        var info = new ColumnInfo(Name)
        {
            Release = release,
            Passed = record?.Passed,
            Problems = record?.Problems ?? [],
            Wall = record != null ? TimeSpan.FromSeconds(record.WallSeconds)
                : set.Started is { } s && set.Finished is { } f ? f - s : null,
            InitUptime = record?.InitUptime,
            CommandUptime = record?.CommandUptime,
            Started = set.Started,
            Finished = set.Finished,
            Filter = record?.Filter,
        };
        return new ColumnResults(info, set.Tests);
    }

    /// <summary>The files that make this column, for keeping a copy as the next run's "previous".</summary>
    public IReadOnlyList<string> Files()
    {
        var files = new List<string>(ResultReaders.For(ResultsDir)?.Files(ResultsDir) ?? []);
        if (RunRecordPath != null && File.Exists(RunRecordPath)) files.Add(RunRecordPath);
        if (ReleasePath != null && File.Exists(ReleasePath)) files.Add(ReleasePath);
        return files;
    }

    /// <summary>A column kept by <see cref="ColumnCopy"/>: results under results/, the facts beside.</summary>
    public static ColumnSource Kept(string name, string dir) =>
        new(name, Path.Combine(dir, "results"), Path.Combine(dir, RunRecord.FileName), Path.Combine(dir, ReleaseFileName));
}

/// <summary>Copies a column's files into the <see cref="ColumnSource.Kept"/> layout.</summary>
public static class ColumnCopy
{
    public static void To(ColumnSource source, string dir)
    {
        if (Directory.Exists(dir)) Directory.Delete(dir, true);
        Directory.CreateDirectory(Path.Combine(dir, "results"));
        foreach (var f in source.Files())
        {
            var name = Path.GetFileName(f);
            var target = name is RunRecord.FileName or ColumnSource.ReleaseFileName ? Path.Combine(dir, name) : Path.Combine(dir, "results", name);
            File.Copy(f, target, true);
        }
    }
}
