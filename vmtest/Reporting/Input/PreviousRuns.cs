using System.Security.Cryptography;

namespace BpfTests.Reporting.Input;

/// <summary>
/// Each column's last two distinct runs, kept in a cache directory (<c>&lt;root&gt;/&lt;column&gt;/latest</c>
/// and <c>/before</c>, each with an <c>id</c>: a hash of its result files). "Previous" for a run is the
/// latest kept run unless that is this very run (a report rebuilt), then the one before it — so
/// rebuilding a report never compares a run with itself.
/// </summary>
public sealed class PreviousRuns(string root)
{
    public string Root => root;

    public ColumnSource? PreviousOf(ColumnSource current)
    {
        var id = Identity(current);
        var latest = Slot(current.Name, "latest");
        if (Id(latest) is not { } latestId) return null;
        if (latestId != id) return ColumnSource.Kept(current.Name, latest);
        var before = Slot(current.Name, "before");
        return Id(before) != null ? ColumnSource.Kept(current.Name, before) : null;
    }

    /// <summary>Keeps <paramref name="current"/> as the latest run of its column (no-op when it already is).</summary>
    public void Remember(ColumnSource current)
    {
        var id = Identity(current);
        var latest = Slot(current.Name, "latest");
        if (Id(latest) == id) return;
        var before = Slot(current.Name, "before");
        if (Directory.Exists(before)) Directory.Delete(before, true);
        if (Directory.Exists(latest)) Directory.Move(latest, before);
        ColumnCopy.To(current, latest);
        File.WriteAllText(Path.Combine(latest, "id"), id + "\n");
    }

    private string Slot(string column, string which) => Path.Combine(root, column, which);

    private static string? Id(string slot)
    {
        var f = Path.Combine(slot, "id");
        return File.Exists(f) ? File.ReadAllText(f).Trim() : null;
    }

    /// <summary>A run's identity: the hash of its result files' contents, in name order.</summary>
    public static string Identity(ColumnSource column)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var f in ResultReaders.For(column.ResultsDir)?.Files(column.ResultsDir) ?? [])
            sha.AppendData(File.ReadAllBytes(f));
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}
