using BpfHarness;
using BpfTests.TestProgs.Selection;

namespace BpfTests.TestProgs.Cli;

/// <summary>
/// test_progs' command line (test_progs.md §1) with argp/getopt_long conventions: short options may be
/// bundled (<c>-lv</c>); a required argument is the rest of the bundle or the next word; an optional
/// argument (<c>-v</c>, <c>-j</c>) must be attached (<c>-vv</c>, <c>-j4</c>, <c>--verbose=vv</c>); long
/// options take <c>--opt=x</c> or <c>--opt x</c> and may be abbreviated to a unique prefix; <c>--</c>
/// ends the options. Pure: @file contents come through <see cref="ReadLines"/>.
/// </summary>
public sealed class ArgumentParser
{
    public const string Program = "test_progs";
    public const int UsageExit = 64;
    private const int EINVAL = 22;

    /// <summary>Reads an @file: its lines, or the errno of the failed open.</summary>
    public delegate IEnumerable<string>? ReadLines(string path, out int errno);

    private enum Arg { None, Required, Optional }

    private sealed record Spec(char? Short, string Long, Arg Arg, string? ArgName, string Help);

    private static readonly Spec[] Specs =
    [
        new('n', "num", Arg.Required, "NUM", "Run test number NUM only "),
        new('t', "name", Arg.Required, "NAMES", "Run tests with names containing any string from NAMES list"),
        new('b', "name-blacklist", Arg.Required, "NAMES", "Don't run tests with names containing any string from NAMES list"),
        new('s', "verifier-stats", Arg.None, null, "Output verifier statistics"),
        new('v', "verbose", Arg.Optional, "LEVEL", "Verbose output (use -vv or -vvv for progressively verbose output)"),
        new('c', "count", Arg.None, null, "Get number of selected top-level tests "),
        new('l', "list", Arg.None, null, "List test names that would run (without running them) "),
        new('a', "allow", Arg.Required, "NAMES", "Run tests with name matching the pattern (supports '*' wildcard)."),
        new('d', "deny", Arg.Required, "NAMES", "Don't run tests with name matching the pattern (supports '*' wildcard)."),
        new('j', "workers", Arg.Optional, "WORKERS", "Number of workers to run in parallel, default to number of cpus."),
        new(null, "debug", Arg.None, null, "print extra debug information for test_progs."),
        new('J', "json-summary", Arg.Required, "FILE", "Write report in json format to this file."),
        new('w', "watchdog-timeout", Arg.Required, "SECONDS", "Kill the process if tests are not making progress for specified number of seconds."),
        new('?', "help", Arg.None, null, "Give this help list"),
        new(null, "usage", Arg.None, null, "Give a short usage message"),
        new('V', "version", Arg.None, null, "Print program version"),
    ];

    private readonly ReadLines _readLines;
    private readonly int _onlineCpus;

    public ArgumentParser(ReadLines readLines, int onlineCpus) => (_readLines, _onlineCpus) = (readLines, onlineCpus);

    public ParseResult Parse(IReadOnlyList<string> args)
    {
        var o = new Options();
        for (int i = 0; i < args.Count; i++)
        {
            string a = args[i];
            if (a == "--")
                return i + 1 < args.Count ? UsageError() : ParseResult.Ok(o);
            if (a.StartsWith("--", StringComparison.Ordinal))
            {
                var r = Long(args, ref i, ref o);
                if (r is not null)
                    return r;
            }
            else if (a.Length > 1 && a[0] == '-')
            {
                var r = Shorts(args, ref i, ref o);
                if (r is not null)
                    return r;
            }
            else
            {
                return UsageError(); // a positional argument
            }
        }
        return ParseResult.Ok(o);
    }

    private ParseResult? Long(IReadOnlyList<string> args, ref int i, ref Options o)
    {
        string word = args[i];
        string body = word[2..];
        int eq = body.IndexOf('=');
        string name = eq < 0 ? body : body[..eq];
        string? value = eq < 0 ? null : body[(eq + 1)..];
        var exact = Specs.FirstOrDefault(s => s.Long == name);
        var candidates = exact is not null ? [exact] : Specs.Where(s => s.Long.StartsWith(name, StringComparison.Ordinal)).ToArray();
        if (candidates.Length == 0)
            return GetoptError($"unrecognized option '--{name}'");
        if (candidates.Length > 1)
            return GetoptError($"option '--{name}' is ambiguous; possibilities:{string.Concat(candidates.Select(c => $" '--{c.Long}'"))}");
        var spec = candidates[0];
        switch (spec.Arg)
        {
            case Arg.None when value is not null:
                return GetoptError($"option '--{spec.Long}' doesn't allow an argument");
            case Arg.Required when value is null:
                if (i + 1 >= args.Count)
                    return GetoptError($"option '--{spec.Long}' requires an argument");
                value = args[++i];
                break;
        }
        return Apply(spec, value, ref o);
    }

    private ParseResult? Shorts(IReadOnlyList<string> args, ref int i, ref Options o)
    {
        string word = args[i];
        for (int k = 1; k < word.Length; k++)
        {
            char c = word[k];
            var spec = Specs.FirstOrDefault(s => s.Short == c);
            if (spec is null)
                return GetoptError($"invalid option -- '{c}'");
            string? value = null;
            if (spec.Arg != Arg.None)
            {
                string rest = word[(k + 1)..];
                if (rest.Length > 0)
                    value = rest;
                else if (spec.Arg == Arg.Required)
                {
                    if (i + 1 >= args.Count)
                        return GetoptError($"option requires an argument -- '{c}'");
                    value = args[++i];
                }
                var r = Apply(spec, value, ref o);
                return r;
            }
            var result = Apply(spec, null, ref o);
            if (result is not null)
                return result;
        }
        return null;
    }

    /// <summary>parse_arg(): one option. Returns a result only when parsing must stop.</summary>
    private ParseResult? Apply(Spec spec, string? arg, ref Options o)
    {
        switch (spec.Long)
        {
            case "num":
                return Numbers(arg!, ref o);
            case "name":
                return AddList(arg!, allow: true, substring: true, ref o);
            case "allow":
                return AddList(arg!, allow: true, substring: false, ref o);
            case "name-blacklist":
                return AddList(arg!, allow: false, substring: true, ref o);
            case "deny":
                return AddList(arg!, allow: false, substring: false, ref o);
            case "verifier-stats":
                o = o with { VerifierStats = true };
                return null;
            case "verbose":
                return Verbose(arg, ref o);
            case "count":
                o = o with { Count = true };
                return null;
            case "list":
                o = o with { List = true };
                return null;
            case "workers":
                if (arg is null)
                {
                    o = o with { Workers = _onlineCpus };
                    return null;
                }
                int workers = Atoi(arg);
                if (workers <= 0)
                    return OptionError($"Invalid number of worker: {arg}.", EINVAL);
                o = o with { Workers = workers };
                return null;
            case "debug":
                o = o with { Debug = true };
                return null;
            case "json-summary":
                o = o with { JsonSummary = arg };
                return null;
            case "watchdog-timeout":
                int kill = Atoi(arg!);
                if (kill < 0)
                    return OptionError($"Invalid watchdog timeout: {arg}.\n", EINVAL);
                o = o with { WatchdogKillSeconds = kill, WatchdogNotifySeconds = kill < o.WatchdogNotifySeconds ? 0 : o.WatchdogNotifySeconds };
                return null;
            case "help":
                return new ParseResult(null, 0, HelpText(), "");
            case "usage":
                return new ParseResult(null, 0, UsageText(), "");
            case "version":
                return new ParseResult(null, 0, "test_progs 0.1\n", "");
            default:
                throw new InvalidOperationException(spec.Long);
        }
    }

    private static ParseResult? Numbers(string arg, ref Options o)
    {
        var sel = o.Selector;
        int slash = arg.IndexOf('/');
        if (slash >= 0)
        {
            var subtests = NumberList.Parse(arg[(slash + 1)..]);
            if (subtests is null)
                return OptionError("Failed to parse subtest numbers.\n", EINVAL);
            sel = sel with { SubtestNumbers = subtests };
            arg = arg[..slash];
        }
        var tests = NumberList.Parse(arg);
        if (tests is null)
            return OptionError("Failed to parse test numbers.\n", EINVAL);
        // Each -n replaces the earlier number set (upstream reassigns the array).
        o = o with { Selector = sel with { TestNumbers = tests } };
        return null;
    }

    private ParseResult? AddList(string arg, bool allow, bool substring, ref Options o)
    {
        IEnumerable<string> items;
        if (arg.StartsWith('@'))
        {
            var lines = _readLines(arg[1..], out int errno);
            if (lines is null)
                return OptionError($"Failed to open '{arg[1..]}': {-errno}\n", errno);
            items = TestList.FileItems(lines);
        }
        else
        {
            items = TestList.SplitArgument(arg);
        }
        var sel = o.Selector;
        o = o with
        {
            Selector = allow
                ? sel with { Allow = sel.Allow.InsertAll(items, substring) }
                : sel with { Deny = sel.Deny.InsertAll(items, substring) },
        };
        return null;
    }

    private static ParseResult? Verbose(string? arg, ref Options o)
    {
        switch (arg)
        {
            case null:
                o = o with { Verbosity = Verbosity.Normal };
                return null;
            case "v":
                o = o with { Verbosity = Verbosity.Very, ExtraProgLoadLogFlags = 1 };
                return null;
            case "vv":
                o = o with { Verbosity = Verbosity.Super, ExtraProgLoadLogFlags = 2 };
                return null;
            default:
                return OptionError($"Unrecognized verbosity setting ('{arg}'), only -v and -vv are supported\n", EINVAL);
        }
    }

    /// <summary>C's atoi: optional blanks and sign, then digits; anything else ends the number (none → 0).</summary>
    public static int Atoi(string s)
    {
        int i = 0;
        while (i < s.Length && char.IsWhiteSpace(s[i]))
            i++;
        bool negative = false;
        if (i < s.Length && (s[i] == '+' || s[i] == '-'))
            negative = s[i++] == '-';
        long v = 0;
        while (i < s.Length && s[i] is >= '0' and <= '9' && v <= int.MaxValue)
            v = v * 10 + (s[i++] - '0');
        v = Math.Min(v, int.MaxValue);
        return (int)(negative ? -v : v);
    }

    /// <summary>An option error: parse_arg returned -errno, and main returns it (exit status = its low 8 bits).</summary>
    private static ParseResult OptionError(string stderr, int errno) => new(null, ExitStatus(-errno), "", stderr);

    public static int ExitStatus(int mainReturn) => mainReturn & 0xff;

    private static readonly string TryHelp = $"Try `{Program} --help' or `{Program} --usage' for more information.\n";

    private static ParseResult GetoptError(string message) => new(null, UsageExit, "", $"{Program}: {message}\n{TryHelp}");

    private static ParseResult UsageError() => new(null, UsageExit, "", $"Usage: {Program} [OPTION...]\n{TryHelp}");

    public static string UsageText() =>
        $"Usage: {Program} [-?clsV] [-a NAMES] [-b NAMES] [-d NAMES] [-J FILE] [-j[WORKERS]] [-n NUM]\n" +
        "            [-t NAMES] [-v[LEVEL]] [-w SECONDS] [--allow=NAMES] [--count] [--debug]\n" +
        "            [--deny=NAMES] [--json-summary=FILE] [--list] [--name=NAMES]\n" +
        "            [--name-blacklist=NAMES] [--num=NUM] [--verbose[=LEVEL]] [--verifier-stats]\n" +
        "            [--watchdog-timeout=SECONDS] [--workers[=WORKERS]] [--help] [--usage]\n" +
        "            [--version]\n";

    public static string HelpText()
    {
        var sb = new System.Text.StringBuilder();
        sb.Append($"Usage: {Program} [OPTION...]\nBPF selftests test runner\n\n");
        foreach (var s in Specs)
        {
            string shortPart = s.Short is { } c ? $"-{c}, " : "    ";
            string arg = s.Arg switch
            {
                Arg.Required => $"={s.ArgName}",
                Arg.Optional => $"[={s.ArgName}]",
                _ => "",
            };
            string left = $"  {shortPart}--{s.Long}{arg}";
            sb.Append(left.Length < 29 ? left.PadRight(29) + s.Help : left + "\n" + new string(' ', 29) + s.Help).Append('\n');
        }
        sb.Append("\nMandatory or optional arguments to long options are also mandatory or optional\n");
        sb.Append("for any corresponding short options.\n\n");
        sb.Append("Options accepting the NAMES parameter take either a comma-separated list\n");
        sb.Append("of test names, or a filename prefixed with @. The file contains one name\n");
        sb.Append("(or wildcard pattern) per line, and comments beginning with # are ignored.\n\n");
        sb.Append("These options can be passed repeatedly to read multiple files.\n\n");
        sb.Append("Report bugs to <bpf@vger.kernel.org>.\n");
        return sb.ToString();
    }
}
