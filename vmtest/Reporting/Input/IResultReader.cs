using BpfTests.Reporting.Model;

namespace BpfTests.Reporting.Input;

/// <summary>What one result file tells: the tests, and when the run started and finished if it says.</summary>
public sealed record ResultSet(IReadOnlyList<TestResult> Tests, DateTimeOffset? Started, DateTimeOffset? Finished);

/// <summary>
/// The report's whole input side for one column: a directory of result files in some format: TRX
/// (<see cref="TrxResultReader"/>: the host suite, vmtest's MTP mode) or test_progs' <c>-J</c> summary
/// (<see cref="TestProgsResultReader"/>: vmtest's default mode). Another format plugs in as another
/// implementation listed in <see cref="ResultReaders.All"/>; the first that can read a directory does.
/// </summary>
public interface IResultReader
{
    /// <summary>True when <paramref name="dir"/> holds a result file this reader understands.</summary>
    bool CanRead(string dir);

    /// <summary>The result files this reader would read (copied when a run is kept as "previous").</summary>
    IReadOnlyList<string> Files(string dir);

    /// <summary>Reads the results; a malformed file throws <see cref="FormatException"/> naming it.</summary>
    ResultSet Read(string dir);
}

public static class ResultReaders
{
    public static readonly IReadOnlyList<IResultReader> All = [new TrxResultReader(), new TestProgsResultReader()];

    public static IResultReader? For(string dir) => Directory.Exists(dir) ? All.FirstOrDefault(r => r.CanRead(dir)) : null;
}
