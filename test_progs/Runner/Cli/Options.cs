using BpfHarness;
using BpfTests.TestProgs.Selection;

namespace BpfTests.TestProgs.Cli;

/// <summary>
/// What the command line asked for (test_progs' <c>struct test_env</c> after argp). Defaults are
/// upstream's: not verbose, no workers, watchdog notify 10 s and kill 120 s.
/// </summary>
public sealed record Options
{
    public Selector Selector { get; init; } = Selector.All;
    public Verbosity Verbosity { get; init; } = Verbosity.None;
    /// <summary>-vv/-vvv: extra_prog_load_log_flags (1 or 2).</summary>
    public int ExtraProgLoadLogFlags { get; init; }
    public bool VerifierStats { get; init; }
    public bool List { get; init; }
    public bool Count { get; init; }
    /// <summary>-j: number of worker processes; 0 = run in this process.</summary>
    public int Workers { get; init; }
    public bool Debug { get; init; }
    /// <summary>-J FILE; the shell creates the file right after parsing.</summary>
    public string? JsonSummary { get; init; }
    public int WatchdogNotifySeconds { get; init; } = 10;
    public int WatchdogKillSeconds { get; init; } = 120;

    public bool Verbose => Verbosity != Verbosity.None;
}

/// <summary>
/// The outcome of parsing: options, or text to print and the process exit status (help/version
/// exit 0; usage errors 64; option errors the low 8 bits of the negative errno, e.g. 234).
/// </summary>
public sealed record ParseResult(Options? Options, int ExitCode, string Stdout, string Stderr)
{
    public static ParseResult Ok(Options o) => new(o, 0, "", "");
    public bool ShouldExit => Options is null;
}
