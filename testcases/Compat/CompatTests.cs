using System.Diagnostics;
using BpfHarness.Gates;
using BpfLoader.Cli;
using BpfLoader.Diagnostics;
using NUnit.Framework;
using Shouldly;

namespace BpfTests.Compat;

/// <summary>
/// The compatibility suite: every program in progs/compat/ is loaded alone by our loader and by a small C
/// program built here against the system's libbpf (Debian's libbpf-dev, 1.1); the per-program outcomes
/// (loaded, or the errno of the refusal) must be equal, and each of our refusals must carry a reason.
/// Known behavioural gaps between libbpf 1.1 and the 1.7 semantics we implement are listed in
/// <see cref="AllowedGaps"/> (none are needed for the programs in the suite today).
/// </summary>
[NonParallelizable]
public class CompatTests
{
    /// <summary>program name → why libbpf 1.1 may decide differently than libbpf 1.7 (and we) on this kernel.</summary>
    private static readonly Dictionary<string, string> AllowedGaps = new();

    private static readonly Lazy<string?> Reference = new(BuildReference);

    private static string CompatDirectory => Path.Combine(Progs.Directory, "compat");

    public static IEnumerable<string> CompatObjects()
        => Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "progs", "compat"), "*.bpf.o").Select(Path.GetFileName).Order(StringComparer.Ordinal)!;

    private static string? BuildReference()
    {
        string source = Path.Combine(AppContext.BaseDirectory, "Compat", "libbpf_loadall.c");
        string exe = Path.Combine(Path.GetTempPath(), $"bpftests-libbpf-loadall-{Environment.ProcessId}");
        var (code, output) = Run("gcc", $"-O2 -Wall -o {exe} {source} -lbpf");
        if (code != 0)
        {
            TestContext.Out.WriteLine(output);
            return null;
        }
        AppDomain.CurrentDomain.ProcessExit += (_, _) => File.Delete(exe);
        return exe;
    }

    private static (int Code, string Output) Run(string file, string args)
    {
        var psi = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit(120_000).ShouldBeTrue($"{file} finished");
        return (p.ExitCode, stdout.Result + stderr.Result);
    }

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
        var exe = Reference.Value;
        Gate.RequireFeature(exe is not null, "libbpf-dev + gcc", "the libbpf reference program could not be built");
        string path = Path.Combine(CompatDirectory, file);

        var (code, output) = Run(exe!, path);
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
