using BpfFuzz;
using NUnit.Framework;
using Shouldly;

namespace BpfTests.Reliability;

/// <summary>
/// The fuzzer inside the host suite: a short seeded run (the CI mode of <c>./run.sh fuzz</c>) and the replay of
/// every regression fixture the fuzzer wrote for a defect it found.
/// </summary>
[NonParallelizable] // the per-case fd invariant counts the whole process's fds
public class FuzzTests
{
    /// <summary>Fixed so a failure here reproduces with <c>./run.sh fuzz --seed 20261130 --cases 20000</c>.</summary>
    private const long CiSeed = 20261130;
    private const int CiCases = 20_000;
    /// <summary>The CI bound: the run stops after a minute, however many of the cases it reached.</summary>
    private static readonly TimeSpan CiDuration = TimeSpan.FromMinutes(1);
    private const int CiMinimumCases = 500;

    private static string FixtureDirectory => Path.Combine(AppContext.BaseDirectory, "Reliability", "FuzzFixtures");

    public static IEnumerable<string> FixtureFiles()
        => Directory.Exists(FixtureDirectory) ? Directory.EnumerateFiles(FixtureDirectory, "*.bin.gz").Select(Path.GetFileName).Order(StringComparer.Ordinal)! : [];

    [Test]
    public void SeededRunKeepsEveryInvariant()
    {
        var corpus = Corpus.Load(Progs.Directory);
        var report = new FuzzRunner(corpus, new FuzzOptions { Cases = CiCases, Seed = CiSeed, LoadEvery = 300, MaxDuration = CiDuration }).Run();
        TestContext.Progress.WriteLine(report.ToString());
        report.Cases.ShouldBeGreaterThanOrEqualTo(CiMinimumCases);
        report.CasesPerTarget.Keys.Order().ToArray().ShouldBe(Enum.GetValues<FuzzTarget>(), "every target ran");
        report.TypedErrors.Values.Sum().ShouldBeGreaterThan(report.Cases / 10, "the mutations reach the parsers' checks");
        report.AcceptedPerTarget.Values.Sum().ShouldBeGreaterThan(report.Cases / 10, "and also produce inputs the parsers accept");
        report.Findings.ShouldBeEmpty(report.ToString());
    }

    [TestCaseSource(nameof(FixtureFiles))]
    public void FixtureKeepsEveryInvariant(string fixture)
    {
        var outcome = Fixtures.Replay(Path.Combine(FixtureDirectory, fixture), "/sys/fs/bpf");
        outcome.Violation.ShouldBeNull(outcome.Violation?.Detail);
    }
}
