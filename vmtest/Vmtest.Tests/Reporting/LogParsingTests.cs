using BpfTests.Reporting.Input;
using BpfTests.Reporting.Model;
using NUnit.Framework;

namespace BpfTests.Vmtest.Tests.Reporting;

public class LogParsingTests
{
    [Test]
    public void VerifierLogsAndLibbpfLinesAreSeparatedFromTheTestLines()
    {
        var s = LogSections.Split(string.Join('\n',
            "prog:PASS:open 0 nsec",
            "libbpf: prog 'p': BPF program load failed: -EACCES",
            "libbpf: prog 'p': -- BEGIN PROG LOAD LOG --",
            "0: R1=ctx() R10=fp0",
            "R0 invalid mem access 'map_value_or_null'",
            "-- END PROG LOAD LOG --",
            "libbpf: prog 'p': failed to load: -EACCES",
            "-- BEGIN PROG LOAD LOG --",
            "cut short"));
        Assert.That(s.TestLines, Is.EqualTo("prog:PASS:open 0 nsec"));
        Assert.That(s.LibbpfLog.Split('\n'), Is.EqualTo(new[] { "libbpf: prog 'p': BPF program load failed: -EACCES", "libbpf: prog 'p': -- BEGIN PROG LOAD LOG --", "libbpf: prog 'p': failed to load: -EACCES" }));
        Assert.That(s.VerifierLogs, Is.EqualTo(new[] { "0: R1=ctx() R10=fp0\nR0 invalid mem access 'map_value_or_null'", "cut short" }));
    }

    [Test]
    public void SubtestsTakeTheLinesSinceThePreviousResultLine()
    {
        var subs = SubtestLines.Parse(string.Join('\n',
            "a:SKIP: no module",
            "#349/1   bad_struct_ops/a:SKIP",
            "b:PASS:open 0 nsec",
            "#349/2   bad_struct_ops/b:OK",
            "#350/1   btf/datasec: name '?.foo bar:buz' is ok:FAIL",
            "#349     bad_struct_ops:OK"));
        Assert.That(subs.Select(s => (s.Name, s.Outcome, s.Log)), Is.EqualTo(new[]
        {
            ("a", Outcome.Skipped, "a:SKIP: no module"),
            ("b", Outcome.Passed, "b:PASS:open 0 nsec"),
            ("datasec: name '?.foo bar:buz' is ok", Outcome.Failed, ""),
        }));
    }
}
