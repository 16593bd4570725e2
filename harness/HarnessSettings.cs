namespace BpfHarness;

/// <summary>test_progs' verbosity levels (-v, -vv, -vvv).</summary>
public enum Verbosity
{
    /// <summary>Result lines; a failing test also prints its log.</summary>
    None = 0,
    /// <summary><c>-v</c>: every test's log, live.</summary>
    Normal = 1,
    /// <summary><c>-vv</c>: adds libbpf's DEBUG messages.</summary>
    Very = 2,
    /// <summary><c>-vvv</c>: the most detail (upstream's VERBOSE_SUPER).</summary>
    Super = 3,
}

/// <summary>
/// Run-wide switches, read once from the environment and settable by a runner that parses its own
/// command line. Environment:
/// <list type="bullet">
/// <item><c>BPFTESTS_VERBOSE</c>: <c>v</c>/<c>1</c> = -v, <c>vv</c>/<c>2</c> = -vv (libbpf DEBUG output
/// reaches the test log), <c>vvv</c>/<c>3</c> = -vvv. A leading '-' is accepted.</item>
/// <item><c>BPFTESTS_NO_SKIP=1</c>: kernel/feature gates fail instead of skipping (set by the VM runner,
/// where the kernel is known to have every feature).</item>
/// </list>
/// </summary>
public static class HarnessSettings
{
    /// <summary>The environment variable that sets <see cref="Verbosity"/> (0-3, as test_progs' -v count).</summary>
    public const string VerboseVariable = "BPFTESTS_VERBOSE";
    /// <summary>The environment variable that turns feature-gate skips into failures (set by vmtest).</summary>
    public const string NoSkipVariable = "BPFTESTS_NO_SKIP";

    private static Verbosity? _verbosity;
    private static bool? _noSkip;

    /// <summary>How much the harness prints live (test_progs' -v, -vv, -vvv).</summary>
    public static Verbosity Verbosity
    {
        get => _verbosity ??= ParseVerbosity(Environment.GetEnvironmentVariable(VerboseVariable));
        set => _verbosity = value;
    }

    /// <summary>Whether a closed feature gate fails instead of skipping.</summary>
    public static bool NoSkip
    {
        get => _noSkip ??= ParseNoSkip(Environment.GetEnvironmentVariable(NoSkipVariable));
        set => _noSkip = value;
    }

    /// <summary>BPFTESTS_NO_SKIP is on for 1, true or yes (any case); anything else, or unset, is off.</summary>
    public static bool ParseNoSkip(string? value) =>
        value?.Trim().ToLowerInvariant() is "1" or "true" or "yes";

    /// <summary>Parses a BPFTESTS_VERBOSE value; unknown values warn like test_progs and mean "not verbose".</summary>
    public static Verbosity ParseVerbosity(string? value)
    {
        switch (value?.Trim().TrimStart('-'))
        {
            case null or "" or "0": return Verbosity.None;
            case "1" or "v": return Verbosity.Normal;
            case "2" or "vv": return Verbosity.Very;
            case "3" or "vvv": return Verbosity.Super;
            default:
                Console.Error.Write($"Unrecognized verbosity setting ('{value}'), only -v and -vv are supported\n");
                return Verbosity.None;
        }
    }
}
