namespace BpfTests.TestProgs.Selection;

/// <summary>
/// A registered test: its test_progs name and number, the NUnit test it stands for, whether it is
/// serial, and its fixture (the class full name; with the name, the report's key as in TRX files).
/// </summary>
public sealed record RegisteredTest(int Number, string Name, string FullName, bool Serial, string Fixture = "");

/// <summary>
/// The test registry (test_progs.md §2): every NUnit test case is one test named by its NUnit name;
/// tests are numbered 1.. in ordinal (byte) order of the names. Two cases with the same name (in
/// different fixtures) get consecutive numbers, ordered by full name. A test is serial
/// (serial_test_*) when NUnit marks it or its fixture <c>[NonParallelizable]</c>.
/// </summary>
public sealed class TestRegistry
{
    public IReadOnlyList<RegisteredTest> Tests { get; }

    public TestRegistry(IEnumerable<(string Name, string FullName, bool Serial)> tests)
        : this(tests.Select(t => (t.Name, t.FullName, t.Serial, Fixture: "")))
    {
    }

    public TestRegistry(IEnumerable<(string Name, string FullName, bool Serial, string Fixture)> tests)
    {
        Tests = tests
            .OrderBy(t => t.Name, StringComparer.Ordinal)
            .ThenBy(t => t.FullName, StringComparer.Ordinal)
            .Select((t, i) => new RegisteredTest(i + 1, t.Name, t.FullName, t.Serial, t.Fixture))
            .ToList();
    }

    public IReadOnlyList<RegisteredTest> Selected(Selector selector) =>
        Tests.Where(t => selector.SelectsTest(t.Name, t.Number)).ToList();
}
