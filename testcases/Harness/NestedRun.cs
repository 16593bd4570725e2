using System.Reflection;
using NUnit.Framework.Api;
using NUnit.Framework.Interfaces;
using NUnit.Framework.Internal;
using NUnit.Framework.Internal.Builders;

namespace BpfTests.Harness;

/// <summary>
/// Runs one fixture of this assembly in a nested NUnit run (so the real [assembly: BpfTestHarness] action wraps
/// it) and returns NUnit's results: what the harness makes of tests that fail on purpose, as TRX would show it.
/// Sandbox fixtures are open generics closed only here, so normal discovery never runs them.
/// </summary>
internal static class NestedRun
{
    /// <summary>A test assembly holding only the given fixture; assembly-level actions still apply.</summary>
    private sealed class SingleFixtureBuilder(Type fixture) : ITestAssemblyBuilder
    {
        public ITest Build(Assembly assembly, IDictionary<string, object> options)
        {
            var suite = new TestAssembly(assembly, assembly.Location);
            suite.Add(new NUnitTestFixtureBuilder().BuildFrom(new TypeWrapper(fixture), new MatchAll()));
            return suite;
        }

        public ITest Build(string assemblyNameOrPath, IDictionary<string, object> options) => throw new NotSupportedException();

        private sealed class MatchAll : IPreFilter
        {
            public bool IsMatch(Type type) => true;
            public bool IsMatch(Type type, MethodInfo method) => true;
        }
    }

    public static ITestResult Run(Type fixture)
    {
        var runner = new NUnitTestAssemblyRunner(new SingleFixtureBuilder(fixture));
        runner.Load(fixture.Assembly, new Dictionary<string, object> { ["NumberOfTestWorkers"] = 1 });
        return runner.Run(TestListener.NULL, TestFilter.Empty);
    }

    /// <summary>The result of the test method called <paramref name="name"/> anywhere under <paramref name="root"/>.</summary>
    public static ITestResult Find(ITestResult root, string name) =>
        TryFind(root, name) ?? throw new InvalidOperationException($"no result for {name}");

    private static ITestResult? TryFind(ITestResult r, string name) =>
        r.Test.Name == name && !r.Test.IsSuite ? r : r.Children.Select(c => TryFind(c, name)).FirstOrDefault(x => x is not null);
}
