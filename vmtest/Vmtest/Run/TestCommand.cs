namespace BpfTests.Vmtest.Run;

/// <summary>How the tests run inside the guest.</summary>
public enum TestMode
{
    /// <summary>The test project as a Microsoft.Testing.Platform executable (vmtest/GuestTests): one process, ~4× faster under TCG.</summary>
    Mtp,
    /// <summary>`dotnet test` on the prebuilt test assembly (VSTest: vstest.console + testhost over loopback).</summary>
    DotnetTest,
    /// <summary>A raw shell command (runner self-tests, benchmarks).</summary>
    Shell,
    /// <summary>The test_progs front end (test_progs/): upstream's lines in the console log, its -J summary as results.</summary>
    TestProgs,
}

/// <summary>Builds the guest-side shell command for a mode. Paths are host paths: the guest sees the host's root.</summary>
public static class TestCommand
{
    public const string TrxName = "tests.trx";
    public const string TestProgsJsonName = "test_progs.json";
    /// <summary>Per-test kill timeout in the guest: libbpf CI's -w600 (TCG is slow; test_progs' default is 120 s).</summary>
    public const int GuestWatchdogSeconds = 600;

    // The ReadyToRun copies (vmtest/GuestReadyToRun.targets): under TCG the JIT is the guest's largest cost.
    public static string MtpExecutable(string repo) => Path.Combine(repo, "vmtest", "GuestTests", "bin", "Release", "net10.0", "r2r", "BpfTests.Guest");
    public static string TestProgsExecutable(string repo) => Path.Combine(repo, "test_progs", "bin", "Release", "net10.0", "r2r", "test_progs");
    public static string TestAssembly(string repo) => Path.Combine(repo, "testcases", "bin", "Release", "net10.0", "BpfTests.dll");

    /// <param name="testProgsArgs">TestProgs mode: the deny list as <c>-d @file</c> and the user's flags, appended after ours.</param>
    /// <param name="assembly">DotnetTest mode: a test assembly other than this repository's (<c>vmtest run --assembly PATH</c>).</param>
    public static string For(TestMode mode, string repo, string resultsDir, string? filter, string? shell, IReadOnlyList<string>? testProgsArgs = null,
        string? assembly = null) => mode switch
    {
        TestMode.TestProgs => Join([Q(TestProgsExecutable(repo)), "-J", Q(Path.Combine(resultsDir, TestProgsJsonName)), "-w", GuestWatchdogSeconds.ToString(),
            .. (testProgsArgs ?? []).Select(Q)]),
        TestMode.Mtp => Join(Q(MtpExecutable(repo)), "--results-directory", Q(resultsDir), "--report-trx", "--report-trx-filename", TrxName,
            "--output", "Detailed", "--no-ansi", "--no-progress", filter == null ? "" : "--filter " + Q(filter)),
        TestMode.DotnetTest => Join("dotnet", "test", Q(assembly ?? TestAssembly(repo)), "--results-directory", Q(resultsDir),
            "--logger", Q($"trx;LogFileName={TrxName}"), "--logger", Q("console;verbosity=normal"), filter == null ? "" : "--filter " + Q(filter)),
        TestMode.Shell => shell ?? throw new ArgumentException("Shell mode needs a command"),
        _ => throw new ArgumentOutOfRangeException(nameof(mode)),
    };

    /// <summary>Where each mode's prebuilt output must exist before a boot is worth it.</summary>
    public static string? Prerequisite(TestMode mode, string repo, string? assembly = null) => mode switch
    {
        TestMode.Mtp => MtpExecutable(repo),
        TestMode.DotnetTest => assembly ?? TestAssembly(repo),
        TestMode.TestProgs => TestProgsExecutable(repo),
        _ => null,
    };

    /// <summary>Single-quotes for sh.</summary>
    public static string Q(string s) => "'" + s.Replace("'", "'\\''") + "'";

    private static string Join(params string[] parts) => string.Join(' ', parts.Where(p => p.Length > 0));
}
