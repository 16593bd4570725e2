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
}

/// <summary>Builds the guest-side shell command for a mode. Paths are host paths: the guest sees the host's root.</summary>
public static class TestCommand
{
    public const string TrxName = "tests.trx";

    public static string MtpExecutable(string repo) => Path.Combine(repo, "vmtest", "GuestTests", "bin", "Release", "net10.0", "BpfTests.Guest");
    public static string TestAssembly(string repo) => Path.Combine(repo, "testcases", "bin", "Release", "net10.0", "BpfTests.dll");

    public static string For(TestMode mode, string repo, string resultsDir, string? filter, string? shell) => mode switch
    {
        TestMode.Mtp => Join(Q(MtpExecutable(repo)), "--results-directory", Q(resultsDir), "--report-trx", "--report-trx-filename", TrxName,
            "--output", "Detailed", "--no-ansi", "--no-progress", filter == null ? "" : "--filter " + Q(filter)),
        TestMode.DotnetTest => Join("dotnet", "test", Q(TestAssembly(repo)), "--results-directory", Q(resultsDir),
            "--logger", Q($"trx;LogFileName={TrxName}"), "--logger", Q("console;verbosity=normal"), filter == null ? "" : "--filter " + Q(filter)),
        TestMode.Shell => shell ?? throw new ArgumentException("Shell mode needs a command"),
        _ => throw new ArgumentOutOfRangeException(nameof(mode)),
    };

    /// <summary>Where each mode's prebuilt output must exist before a boot is worth it.</summary>
    public static string? Prerequisite(TestMode mode, string repo) => mode switch
    {
        TestMode.Mtp => MtpExecutable(repo),
        TestMode.DotnetTest => TestAssembly(repo),
        _ => null,
    };

    /// <summary>Single-quotes for sh.</summary>
    public static string Q(string s) => "'" + s.Replace("'", "'\\''") + "'";

    private static string Join(params string[] parts) => string.Join(' ', parts.Where(p => p.Length > 0));
}
