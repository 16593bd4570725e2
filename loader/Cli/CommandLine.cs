using BpfLoader.Diagnostics;

namespace BpfLoader.Cli;

/// <summary>
/// bpftool-style argument handling: objects and commands may be abbreviated to any unique prefix
/// (<c>btf d f X</c> = <c>btf dump file X</c>), keywords take the next argument as their value.
/// </summary>
public static class CommandLine
{
    public const int Ok = 0, Failed = 1, Usage = 64;

    public const string UsageText = """
        Usage: bpfloader btf dump file FILE [format {raw|c}]
               bpfloader object show FILE
               bpfloader prog loadall FILE... [log]
               bpfloader gen object OUTPUT INPUT...
               bpfloader gen {skeleton|subskeleton} FILE [name NAME] [namespace NS]
        """;

    /// <summary>Runs one command writing to <paramref name="output"/> and <paramref name="error"/> (libbpf messages go to error).</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var previous = LibbpfLog.SetPrint((level, text) =>
        {
            if (level <= LogLevel.Info)
                error.Write(text);
        });
        try
        {
            return Dispatch(args, output, error);
        }
        catch (UsageException e)
        {
            error.WriteLine($"Error: {e.Message}");
            error.WriteLine(UsageText);
            return Usage;
        }
        catch (BpfException e)
        {
            error.WriteLine($"Error: {e.Message} ({Errno.Str(e.Error)})");
            return Failed;
        }
        catch (IOException e)
        {
            error.WriteLine($"Error: {e.Message}");
            return Failed;
        }
        finally
        {
            LibbpfLog.SetPrint(previous);
        }
    }

    private static int Dispatch(string[] args, TextWriter output, TextWriter error)
    {
        if (args.Length == 0 || args[0] is "help" or "-h" or "--help")
        {
            output.WriteLine(UsageText);
            return args.Length == 0 ? Usage : Ok;
        }
        string obj = Match(args[0], "btf", "object", "prog", "gen");
        string cmd = Match(args.ElementAtOrDefault(1) ?? throw new UsageException($"'{obj}' needs a command"),
            obj switch { "btf" => ["dump"], "object" => ["show"], "gen" => ["object", "skeleton", "subskeleton"], _ => ["loadall"] });
        var rest = args.Skip(2).ToArray();
        return (obj, cmd) switch
        {
            ("btf", "dump") => BtfDumpCommand.Run(rest, output),
            ("object", "show") => ObjectShowCommand.Run(rest, output),
            ("gen", "object") => GenObjectCommand.Run(rest, error),
            ("gen", _) => GenCommand.Run(cmd == "skeleton" ? SkeletonGen.SkeletonKind.Skeleton : SkeletonGen.SkeletonKind.Subskeleton, rest, output),
            _ => ProgLoadAllCommand.Run(rest, output),
        };
    }

    /// <summary>bpftool's <c>is_prefix</c> matching: a unique prefix of one of <paramref name="choices"/>.</summary>
    public static string Match(string word, params string[] choices)
    {
        var hits = choices.Where(c => c.StartsWith(word, StringComparison.Ordinal) && word.Length > 0).ToList();
        if (hits.Count == 1)
            return hits[0];
        throw new UsageException(hits.Count == 0
            ? $"unknown '{word}', expected one of: {string.Join(", ", choices)}"
            : $"'{word}' is ambiguous: {string.Join(", ", hits)}");
    }

    /// <summary>"file X" style: the path after a keyword.</summary>
    public static string FileArgument(string[] rest, string what)
    {
        if (rest.Length < 2 || Match(rest[0], what) != what)
            throw new UsageException($"expected '{what} PATH'");
        return rest[1];
    }
}

/// <summary>A command line the tool cannot run; printed with the usage text.</summary>
public sealed class UsageException(string message) : Exception(message);
