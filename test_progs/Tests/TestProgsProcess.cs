using System.Diagnostics;
using System.Text.RegularExpressions;

namespace BpfTests.TestProgs.Tests;

/// <summary>What one test_progs process printed and returned.</summary>
public sealed record ProcessResult(string Stdout, string Stderr, int ExitCode, string WorkDir)
{
    private static readonly Regex TestmodLine = new(
        @"^(Failed to trigger kernel-side RCU sync!|Unload of bpf_testmod timed out|bpf_testmod\.ko is already unloaded\.|" +
        @"Failed to unload bpf_testmod\.ko from kernel: -\d+|Successfully unloaded bpf_testmod\.ko\.|Loading bpf_testmod\.ko\.\.\.|" +
        @"Can't find bpf_testmod\.ko kernel module: -\d+|Failed to load bpf_testmod\.ko into the kernel: -\d+|Successfully loaded bpf_testmod\.ko\.)\n");

    /// <summary>
    /// Stdout without the bpf_testmod reload messages at its start (which depend on the kernel: the
    /// fixture has no module). Every line removed must be one of §13's texts.
    /// </summary>
    public string Body
    {
        get
        {
            var s = Stdout;
            Match m;
            while ((m = TestmodLine.Match(s)).Success)
                s = s[m.Length..];
            return s;
        }
    }
}

/// <summary>Runs the built test_progs executable over the fixture assembly, in a fresh directory.</summary>
public static class TestProgsProcess
{
    // test_progs/Tests/bin/<Configuration>/net10.0/ → test_progs/
    private static readonly string Root = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../.."));
    private static readonly string Flavour = Path.GetFileName(Path.GetDirectoryName(AppContext.BaseDirectory.TrimEnd('/'))!);
    public static string Executable => Path.Combine(Root, "bin", Flavour, "net10.0", "test_progs");
    public static string Fixture => Path.Combine(Root, "Fixture", "bin", Flavour, "net10.0", "TestProgs.Fixture.dll");

    public static ProcessResult Run(string[] args, IDictionary<string, string>? env = null, bool fixture = true, string? workDir = null)
    {
        workDir ??= Directory.CreateTempSubdirectory("test_progs-e2e-").FullName;
        var psi = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workDir,
        };
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        psi.Environment.Remove("BPFTESTS_TESTMOD"); // the fixture never has a module
        psi.Environment.Remove("BPFTESTS_VERBOSE");
        if (fixture)
            psi.Environment["TEST_PROGS_TESTS"] = Fixture;
        foreach (var (k, v) in env ?? new Dictionary<string, string>())
            psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(TimeSpan.FromMinutes(10)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"test_progs {string.Join(' ', args)} did not finish");
        }
        return new ProcessResult(stdout, stderr.Result, p.ExitCode, workDir);
    }
}
