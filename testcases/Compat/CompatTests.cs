using BpfHarness.Gates;
using BpfLoader.Cli;
using BpfLoader.Diagnostics;
using NUnit.Framework;
using Shouldly;

namespace BpfTests.Compat;

/// <summary>
/// The compatibility suite: every program in progs/compat/ is loaded alone by our loader and by a small C
/// program built here against libbpf 1.7 (the reference <c>./run.sh setup</c> unpacks from Debian sid, see
/// <see cref="Parity.LibbpfReference"/>); the per-program outcomes (loaded, or the errno of the refusal) must be
/// equal, and each of our refusals must carry a reason. Known gaps would be listed in <see cref="AllowedGaps"/>
/// (none are needed today, 1.7-only sections such as tcx/ and kprobe.session included).
/// </summary>
[NonParallelizable]
public class CompatTests
{
    /// <summary>program name → why libbpf 1.7 may decide differently than we do on this kernel.</summary>
    private static readonly Dictionary<string, string> AllowedGaps = new();

    private static readonly Lazy<(Parity.LibbpfReference? Reference, string? Exe, string Why)> Reference = new(() =>
    {
        var reference = Parity.LibbpfReference.Locate();
        if (reference is null)
            return (null, null, Parity.LibbpfReference.MissingReason);
        var exe = reference.Build(Path.Combine(AppContext.BaseDirectory, "Compat", "libbpf_loadall.c"), out var diagnostics);
        return (reference, exe, exe is null ? "libbpf_loadall.c does not build against libbpf 1.7: " + diagnostics : "");
    });

    private static string CompatDirectory => Path.Combine(Progs.Directory, "compat");

    public static IEnumerable<string> CompatObjects()
        => Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "progs", "compat"), "*.bpf.o").Select(Path.GetFileName).Order(StringComparer.Ordinal)!;

    [Test]
    public void SuiteHasAtLeastThirtyPrograms()
    {
        int programs = CompatObjects().Sum(f =>
        {
            using var obj = BpfLoader.Objects.BpfObject.Open(Path.Combine(CompatDirectory, f));
            return obj.Programs.Count;
        });
        programs.ShouldBeGreaterThanOrEqualTo(30);
    }

    [TestCaseSource(nameof(CompatObjects))]
    public void SameLoadDecisionsAsLibbpf(string file)
    {
        var (reference, exe, why) = Reference.Value;
        Gate.RequireFeature(exe is not null, "libbpf 1.7 reference", why);
        string path = Path.Combine(CompatDirectory, file);

        var (code, output) = reference!.Execute(exe!, [path]);
        code.ShouldBe(0, output);
        var expected = output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(": ", 2))
            .ToDictionary(p => p[0], p => p[1] == "loaded" ? 0 : int.Parse(p[1]["failed ".Length..], System.Globalization.CultureInfo.InvariantCulture));

        var ours = ProgLoadAllCommand.LoadAll(path);
        ours.Select(r => r.Program).ShouldBe(expected.Keys, ignoreOrder: true, "both see the same programs");

        var differences = new List<string>();
        foreach (var r in ours)
        {
            int theirs = expected[r.Program];
            if (r.Error != 0)
                r.Reason.ShouldNotBeNullOrWhiteSpace($"{r.Program}: a refusal carries the verifier's or the loader's reason");
            if (r.Error == theirs || AllowedGaps.ContainsKey(r.Program))
                continue;
            differences.Add($"{r.Program}: ours {(r.Error == 0 ? "loaded" : $"failed {Errno.Str(r.Error)} ({r.Reason})")}, libbpf {(theirs == 0 ? "loaded" : $"failed {Errno.Str(theirs)}")}");
        }
        foreach (var r in ours)
            TestContext.Out.WriteLine(r.Error == 0 ? $"{r.Program}: loaded" : $"{r.Program}: failed {Errno.Str(r.Error)}: {r.Reason}");
        differences.ShouldBeEmpty();
    }
}
