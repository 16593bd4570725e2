using System.Text;

namespace BpfHarness;

/// <summary>State of one subtest (test_progs' <c>struct subtest_state</c>).</summary>
public sealed class SubtestState
{
    internal SubtestState(string name, int number) => (Name, Number) = (name, number);

    /// <summary>The subtest's name (<c>test/NAME</c> in result lines).</summary>
    public string Name { get; }

    /// <summary>1-based; counts every start call of the test, filtered ones included.</summary>
    public int Number { get; }

    /// <summary>How many ASSERTs failed in it.</summary>
    public int ErrorCount { get; internal set; }
    /// <summary>Whether it was skipped (test__skip or a gate).</summary>
    public bool Skipped { get; internal set; }

    /// <summary>Not selected (see <see cref="TestRun.SubtestFilter"/>): the body did not run.</summary>
    public bool Filtered { get; internal set; }

    internal StringBuilder Log { get; } = new();

    /// <summary>Everything written while this subtest was current.</summary>
    public string Output => Log.ToString();

    /// <summary>OK, FAIL or SKIP, as its result line shows it.</summary>
    public string Result => ErrorCount > 0 ? "FAIL" : Skipped ? "SKIP" : "OK";
}
