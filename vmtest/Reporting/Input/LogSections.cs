namespace BpfTests.Reporting.Input;

/// <summary>
/// A test's log split the way a reader looks at it: the test_progs-style lines (ASSERT results,
/// subtest and test lines, anything else the test printed), the captured libbpf log (<c>libbpf: </c>
/// lines), and each verifier log the loader printed between <c>-- BEGIN PROG LOAD LOG --</c> and
/// <c>-- END PROG LOAD LOG --</c>.
/// </summary>
public sealed record LogSections(string TestLines, string LibbpfLog, IReadOnlyList<string> VerifierLogs)
{
    public const string BeginVerifierLog = "-- BEGIN PROG LOAD LOG --";
    public const string EndVerifierLog = "-- END PROG LOAD LOG --";

    public static LogSections Split(string log)
    {
        var test = new List<string>();
        var libbpf = new List<string>();
        var verifier = new List<string>();
        List<string>? current = null;
        foreach (var line in log.Split('\n'))
        {
            if (current != null)
            {
                if (line.Contains(EndVerifierLog)) { verifier.Add(string.Join('\n', current)); current = null; }
                else current.Add(line);
                continue;
            }
            if (line.Contains(BeginVerifierLog))
            {
                current = [];
                // libbpf prints the marker inside its own message ("libbpf: prog 'x': -- BEGIN ..."):
                // that line stays in the libbpf log, saying where the verifier log came from
                if (line.StartsWith("libbpf:", StringComparison.Ordinal)) libbpf.Add(line);
            }
            else if (line.StartsWith("libbpf:", StringComparison.Ordinal)) libbpf.Add(line);
            else test.Add(line);
        }
        if (current != null) verifier.Add(string.Join('\n', current)); // a log cut short still shows
        return new LogSections(string.Join('\n', test).Trim('\n'), string.Join('\n', libbpf), verifier);
    }
}
