using System.Text.RegularExpressions;

namespace BpfTests.Vmtest.Run;

/// <summary>Counts of one kernel's tests so far, for live progress. Total: what the runner discovered, if it said.</summary>
public readonly record struct TestCounts(int Passed, int Failed, int Skipped, int? Total, string? Last)
{
    public int Done => Passed + Failed + Skipped;

    /// <summary>Percent done, when the total is known.</summary>
    public int? Percent => Total is > 0 and var t ? Math.Min(100, Done * 100 / t) : null;

    public override string ToString() =>
        (Total is { } t ? $"{Percent}% ({Done}/{t}): " : $"{Done} tests: ") +
        $"{Passed} passed, {Failed} failed, {Skipped} skipped" + (Last != null ? $"; last: {Last}" : "");
}

/// <summary>
/// Reads the guest's test output (output.log) line by line and counts the runner's per-test result
/// lines only: MTP's <c>passed NAME (84ms)</c> at the start of a line, VSTest's console logger's
/// <c>  Passed NAME [84 ms]</c>. Test output echoed around them (an indented <c>failed to resolve
/// CO-RE relocation ...</c> of a verifier log, or the same at column 0) is not a result line.
/// In <see cref="TestMode.TestProgs"/> the runner's result lines are test_progs' <c>#N name:OK</c> lines
/// (in the other modes the harness prints those too, next to the runner's, so they are not counted there).
/// </summary>
public sealed partial class TestTally(TestMode mode)
{
    [GeneratedRegex(@"^(?<o>passed|failed|skipped) (?<name>.+) \((?<d>\d+(ms|s|m|h)( \d+(ms|s|m|h))*)\)$")]
    private static partial Regex MtpLine();

    [GeneratedRegex(@"^  (?<o>Passed|Failed|Skipped) (?<name>.+) \[(?<d>[0-9.,]+ ?(ms|s|m|h)|< 1 ms)\]$")]
    private static partial Regex VstestLine();

    [GeneratedRegex(@"NUnit3TestExecutor discovered (?<n>\d+) of \d+ NUnit test cases")]
    private static partial Regex Discovered();

    private int _passed, _failed, _skipped;
    private int? _total;
    private string? _last;

    /// <summary>One output line; true when it changed the counts.</summary>
    public bool Add(string line)
    {
        if (mode == TestMode.TestProgs)
            return Count(Results.TestProgsResults.Classify(line), null);
        var m = MtpLine().Match(line);
        if (!m.Success) m = VstestLine().Match(line);
        if (m.Success)
            return Count(char.ToLowerInvariant(m.Groups["o"].Value[0]), m.Groups["name"].Value);
        var d = Discovered().Match(line);
        if (d.Success) { _total = int.Parse(d.Groups["n"].Value); return true; }
        return false;
    }

    private bool Count(char? kind, string? name)
    {
        switch (kind)
        {
            case null: return false;
            case 'p': _passed++; break;
            case 'f': _failed++; break;
            default: _skipped++; break;
        }
        _last = name ?? _last;
        return true;
    }

    public TestCounts Counts => new(_passed, _failed, _skipped, _total, _last);
}
