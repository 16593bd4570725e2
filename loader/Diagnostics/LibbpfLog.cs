namespace BpfLoader.Diagnostics;

/// <summary>libbpf's print levels (<c>enum libbpf_print_level</c>).</summary>
public enum LogLevel
{
    /// <summary>LIBBPF_WARN: problems and failures.</summary>
    Warn = 0,
    /// <summary>LIBBPF_INFO: notable decisions (a skipped member, a sanitized feature).</summary>
    Info = 1,
    /// <summary>LIBBPF_DEBUG: every step.</summary>
    Debug = 2,
}

/// <summary>
/// The process-wide print hook, with libbpf's contract: one call per message, the text fully formatted,
/// beginning with <c>libbpf: </c> and normally ending in a newline. The default sink writes Warn and Info
/// to stderr and drops Debug; <c>LIBBPF_LOG_LEVEL</c> (warn, info, debug) moves that threshold.
/// </summary>
public static class LibbpfLog
{
    /// <summary>A print hook (libbpf's <c>libbpf_print_fn_t</c>): one message of one level, with its newline.</summary>
    public delegate void PrintFn(LogLevel level, string text);

    /// <summary>What every message starts with, as libbpf prints it.</summary>
    public const string Prefix = "libbpf: ";

    private static PrintFn? _print = DefaultPrint;
    private static readonly Lazy<LogLevel> DefaultThreshold = new(ReadThresholdFromEnvironment);

    /// <summary>Installs <paramref name="fn"/> (null disables all output) and returns the previous hook.</summary>
    public static PrintFn? SetPrint(PrintFn? fn) => Interlocked.Exchange(ref _print, fn);

    /// <summary>Prints a warning through the hook (the text gets the <c>libbpf: </c> prefix).</summary>
    public static void Warn(string message) => Print(LogLevel.Warn, message);
    /// <summary>Prints an informational message through the hook.</summary>
    public static void Info(string message) => Print(LogLevel.Info, message);
    /// <summary>Prints a debug message through the hook.</summary>
    public static void Debug(string message) => Print(LogLevel.Debug, message);

    /// <summary>Emits one message; <paramref name="message"/> is the text after the prefix, without newline.</summary>
    public static void Print(LogLevel level, string message)
    {
        var fn = Volatile.Read(ref _print);
        if (fn is null)
            return;
        fn(level, message.EndsWith('\n') ? Prefix + message : Prefix + message + "\n");
    }

    /// <summary>The default sink: stderr for levels up to the threshold (Info unless LIBBPF_LOG_LEVEL says otherwise).</summary>
    public static void DefaultPrint(LogLevel level, string text)
    {
        if (level <= DefaultThreshold.Value)
            Console.Error.Write(text);
    }

    private static LogLevel ReadThresholdFromEnvironment()
    {
        var value = Environment.GetEnvironmentVariable("LIBBPF_LOG_LEVEL");
        if (string.IsNullOrEmpty(value))
            return LogLevel.Info;
        switch (value.ToLowerInvariant())
        {
            case "warn": return LogLevel.Warn;
            case "info": return LogLevel.Info;
            case "debug": return LogLevel.Debug;
            default:
                Console.Error.Write($"{Prefix}unrecognized 'LIBBPF_LOG_LEVEL' envvar value: '{value}', should be one of 'warn', 'debug', or 'info'.\n");
                return LogLevel.Info;
        }
    }
}
