using NUnit.Framework.Interfaces;

namespace BpfHarness;

/// <summary>
/// test_progs numbers tests by their position in the sorted list of test names. Here the names are
/// the NUnit test names of the whole loaded tree, sorted ordinally; equal names share a number.
/// Used only for the <c>#N name:OK</c> lines; a runner with its own numbering can override it.
/// </summary>
public static class TestNumbering
{
    private static readonly Lock Gate = new();
    private static ITest? _root;
    private static Dictionary<string, int> _numbers = [];

    /// <summary>Replaces the default numbering (e.g. by a runner that also implements -n).</summary>
    public static Func<ITest, int>? Override { get; set; }

    /// <summary>The test's test_progs number: <see cref="Override"/>'s if set, else its name's 1-based position among the sorted names.</summary>
    public static int NumberOf(ITest test)
    {
        if (Override is { } f)
            return f(test);
        var root = test;
        while (root.Parent is not null)
            root = root.Parent;
        lock (Gate)
        {
            if (!ReferenceEquals(root, _root))
            {
                var names = new SortedSet<string>(StringComparer.Ordinal);
                Collect(root, names);
                _numbers = names.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => p.i + 1, StringComparer.Ordinal);
                _root = root;
            }
            return _numbers.GetValueOrDefault(test.Name);
        }
    }

    private static void Collect(ITest t, SortedSet<string> names)
    {
        if (!t.IsSuite)
            names.Add(t.Name);
        foreach (var child in t.Tests)
            Collect(child, names);
    }
}
