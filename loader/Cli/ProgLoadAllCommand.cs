using BpfLoader.Diagnostics;
using BpfLoader.Objects;
using BpfLoader.Programs;

namespace BpfLoader.Cli;

/// <summary>
/// <c>prog loadall FILE... [log]</c>: loads each program of each object alone (a fresh open per program, every other
/// program's autoload off — programs marked '?' included) and prints one line per program:
/// <c>NAME: loaded</c> or <c>NAME: failed ERRNO: REASON</c>, the reason being the verifier's last words or the
/// loader's final error (the map creation failure, not the "Retrying without BTF" warning before it). With several
/// files every line starts with <c>FILE: </c>, and a file that does not open is reported as
/// <c>FILE: failed ERRNO: REASON</c> without stopping the others. Exit code 0 only when every program loaded.
/// <c>log</c> prints the verifier log of failures. Nothing is pinned: bpftool's pin PATH (under /sys/fs/bpf) is ignored.
/// </summary>
public static class ProgLoadAllCommand
{
    /// <summary>One program's outcome: 0 or a negative errno, and why it failed.</summary>
    public sealed record Result(string Program, int Error, string? Reason, string? VerifierLog);

    private const string BpffsRoot = "/sys/fs/bpf/";

    public static int Run(string[] rest, TextWriter output)
    {
        bool showLog = rest.Contains("log");
        // bpftool's form "prog loadall OBJ PATH" names a bpffs directory to pin into; nothing is pinned here, so a
        // path under /sys/fs/bpf is accepted and ignored rather than opened as an object.
        var paths = rest.Where(a => a is not "log" and not "file" && !a.StartsWith(BpffsRoot, StringComparison.Ordinal)).ToList();
        if (paths.Count == 0)
            throw new UsageException("expected 'FILE...'");
        bool allLoaded = true;
        foreach (string path in paths)
        {
            string prefix = paths.Count > 1 ? $"{path}: " : "";
            IReadOnlyList<Result> results;
            try
            {
                results = LoadAll(path);
            }
            catch (BpfException e) when (paths.Count > 1)
            {
                output.WriteLine($"{path}: failed {Errno.Str(e.Error)}: {e.Message}");
                allLoaded = false;
                continue;
            }
            foreach (var r in results)
            {
                output.WriteLine(r.Error == 0 ? $"{prefix}{r.Program}: loaded" : $"{prefix}{r.Program}: failed {Errno.Str(r.Error)}: {r.Reason}");
                if (showLog && r.Error != 0 && !string.IsNullOrEmpty(r.VerifierLog))
                    output.Write(r.VerifierLog);
            }
            allLoaded &= results.All(r => r.Error == 0);
        }
        return allLoaded ? CommandLine.Ok : CommandLine.Failed;
    }

    /// <summary>Loads every program of <paramref name="path"/> separately and reports each outcome.</summary>
    public static IReadOnlyList<Result> LoadAll(string path, ObjectOpenOptions? options = null)
    {
        List<string> names;
        using (var probe = BpfObject.Open(path, options))
            names = probe.Programs.Select(p => p.Name).ToList();
        var results = new List<Result>();
        foreach (var name in names)
            results.Add(LoadOne(path, name, options));
        return results;
    }

    private static Result LoadOne(string path, string name, ObjectOpenOptions? options)
    {
        using var obj = BpfObject.Open(path, options);
        foreach (var p in obj.Programs)
            p.AutoLoad = p.Name == name;
        var warnings = new List<string>();
        var previous = LibbpfLog.SetPrint((level, text) =>
        {
            if (level == LogLevel.Warn)
                warnings.Add(text.TrimEnd('\n'));
        });
        try
        {
            obj.Load();
            return new Result(name, 0, null, null);
        }
        catch (BpfPermissionException e)
        {
            return new Result(name, e.Error, e.Message, null);
        }
        catch (BpfProgramLoadException e)
        {
            return new Result(name, e.Error, VerifierReason(e.VerifierLog) ?? NoLogReason(e), e.VerifierLog);
        }
        catch (BpfException e)
        {
            return new Result(name, e.Error, FinalReason(warnings) ?? e.Message, null);
        }
        finally
        {
            LibbpfLog.SetPrint(previous);
        }
    }

    /// <summary>
    /// The loader's final complaint before it gave up — the last warning other than the closing
    /// "failed to load object" and the verifier log frame — without the "libbpf: " prefix. Earlier warnings can be
    /// intermediate steps that were retried ("Error in bpf_create_map_xattr(m): ... Retrying without BTF.").
    /// </summary>
    public static string? FinalReason(IReadOnlyList<string> warnings)
    {
        string? last = warnings.LastOrDefault(w => !w.Contains("-- BEGIN", StringComparison.Ordinal) && !w.Contains("-- END", StringComparison.Ordinal)
            && !w.StartsWith(LibbpfLog.Prefix + "failed to load object ", StringComparison.Ordinal));
        return last is null ? null : last.StartsWith(LibbpfLog.Prefix, StringComparison.Ordinal) ? last[LibbpfLog.Prefix.Length..] : last;
    }

    // Without a verifier log the kernel refused before verifying: say what usually causes that.
    private static string NoLogReason(BpfProgramLoadException e) => e.Error == -Errno.EPERM
        ? $"{e.Message} before verification (empty verifier log): a privilege or a security policy (lockdown, LSM, disabled trampolines) forbids this program"
        : $"{e.Message} (empty verifier log)";

    /// <summary>The verifier's reason: the last log line that is not the statistics line.</summary>
    public static string? VerifierReason(string? log)
    {
        if (string.IsNullOrEmpty(log))
            return null;
        var lines = log.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return lines.LastOrDefault(l => !l.StartsWith("processed ", StringComparison.Ordinal) && !l.StartsWith("verification time", StringComparison.Ordinal)
            && !l.StartsWith("stack depth", StringComparison.Ordinal)) ?? lines.LastOrDefault();
    }
}
