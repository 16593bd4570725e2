using BpfLoader.Diagnostics;
using BpfLoader.Objects;
using BpfLoader.Programs;

namespace BpfLoader.Cli;

/// <summary>
/// <c>prog loadall FILE [log]</c>: loads each program of the object alone (a fresh open per program, every other
/// program's autoload off — programs marked '?' included) and prints one line per program:
/// <c>NAME: loaded</c> or <c>NAME: failed ERRNO: REASON</c>, the reason being the verifier's last words or the
/// loader's message. Exit code 0 only when every program loaded. <c>log</c> prints the verifier log of failures.
/// </summary>
public static class ProgLoadAllCommand
{
    /// <summary>One program's outcome: 0 or a negative errno, and why it failed.</summary>
    public sealed record Result(string Program, int Error, string? Reason, string? VerifierLog);

    public static int Run(string[] rest, TextWriter output)
    {
        if (rest.Length == 0)
            throw new UsageException("expected 'FILE'");
        string path = rest[0] == "file" && rest.Length > 1 ? rest[1] : rest[0];
        bool showLog = rest.Any(a => a == "log");
        var results = LoadAll(path);
        foreach (var r in results)
        {
            output.WriteLine(r.Error == 0 ? $"{r.Program}: loaded" : $"{r.Program}: failed {Errno.Str(r.Error)}: {r.Reason}");
            if (showLog && r.Error != 0 && !string.IsNullOrEmpty(r.VerifierLog))
                output.Write(r.VerifierLog);
        }
        return results.All(r => r.Error == 0) ? CommandLine.Ok : CommandLine.Failed;
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
            // The loader's own first complaint names the cause; the exception text names the object.
            string? first = warnings.FirstOrDefault(w => !w.Contains("-- BEGIN", StringComparison.Ordinal));
            return new Result(name, e.Error, first is null ? e.Message : first[LibbpfLog.Prefix.Length..], null);
        }
        finally
        {
            LibbpfLog.SetPrint(previous);
        }
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
