using NUnit.Framework;
using static BpfHarness.ProgramTests;

namespace BpfTests.Harness;

/// <summary>
/// RUN_TESTS over programs whose expectations are wrong on purpose (progs/run_tests_selftest.bpf.c); an open
/// generic, run only by <see cref="RunTestsEndToEndTests"/> in a nested NUnit run.
/// </summary>
public class RunTestsSandbox<T>
{
    [Test]
    public void run_tests_selftest() => RunTests("run_tests_selftest");
}
