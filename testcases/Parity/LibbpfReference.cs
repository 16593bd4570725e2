using System.Diagnostics;
using Shouldly;

namespace BpfTests.Parity;

/// <summary>
/// libbpf 1.7 as a reference: Debian sid's libbpf1/libbpf-dev (and their runtime libraries, glibc 2.38+
/// included) unpacked by <c>./run.sh setup</c> at <c>/var/cache/bpftests/libbpf-1.7</c> (lock file section
/// <c>[reference libbpf-1.7]</c>). Small C programs are compiled against its headers and run through sid's
/// own dynamic loader with its library directory, so the host's older glibc and libbpf 1.1 stay out of the
/// way. vmtest guests see the host's / read-only, so the same paths work there. x86-64 only.
/// </summary>
public sealed class LibbpfReference
{
    public const string Name = "libbpf-1.7";

    private LibbpfReference(string root) => Root = root;

    /// <summary>The provisioned reference, or null when <c>./run.sh setup</c> has not unpacked it.</summary>
    public static LibbpfReference? Locate()
    {
        var cache = Environment.GetEnvironmentVariable("BPFTESTS_CACHE"); // vmtest's cache root override
        var root = Path.Combine(string.IsNullOrEmpty(cache) ? "/var/cache/bpftests" : cache, Name);
        var reference = new LibbpfReference(root);
        return File.Exists(Path.Combine(reference.LibDir, "libbpf.so.1")) && File.Exists(reference.DynamicLoader) ? reference : null;
    }

    public const string MissingReason = "libbpf 1.7 is not unpacked at /var/cache/bpftests/libbpf-1.7: run ./run.sh setup";

    public string Root { get; }
    public string IncludeDir => Path.Combine(Root, "usr", "include");
    public string LibDir => Path.Combine(Root, "usr", "lib", "x86_64-linux-gnu");
    public string DynamicLoader => Path.Combine(LibDir, "ld-linux-x86-64.so.2");

    /// <summary>
    /// Compiles <paramref name="source"/> against the reference (deleted when the test process exits); null and
    /// the compiler's output when it fails. libbpf.so's references to glibc 2.38 symbols resolve at run time
    /// against the reference's own glibc, hence --allow-shlib-undefined at link time.
    /// </summary>
    public string? Build(string source, out string diagnostics)
    {
        string exe = Path.Combine(Path.GetTempPath(), $"bpftests-{Path.GetFileNameWithoutExtension(source)}-{Environment.ProcessId}");
        var (code, output) = Run("gcc", ["-O2", "-Wall", "-I", IncludeDir, "-o", exe, source, "-L", LibDir, "-lbpf", "-Wl,--allow-shlib-undefined"]);
        diagnostics = output;
        if (code != 0)
            return null;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => File.Delete(exe);
        return exe;
    }

    /// <summary>Runs a program built by <see cref="Build"/> with the reference's loader and libraries.</summary>
    public (int Code, string Output) Execute(string exe, IEnumerable<string> args)
        => Run(DynamicLoader, ["--library-path", LibDir, exe, .. args]);

    private static (int Code, string Output) Run(string file, IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit(120_000).ShouldBeTrue($"{file} finished");
        return (p.ExitCode, stdout.Result + stderr.Result);
    }
}
