namespace BpfLoader.Diagnostics;

/// <summary>
/// The one logged-throw site (after System.Reflection.Metadata's <c>Throw</c> class): a failure's libbpf
/// message is formatted once by the caller, printed through <see cref="LibbpfLog"/> at its level, and
/// returned as the typed exception carrying the errno, for the caller to <c>throw</c> (so flow analysis
/// and <c>?? throw</c> keep working). Texts are the contract users grep for: callers pass them verbatim.
/// </summary>
internal static class LibbpfError
{
    /// <summary>
    /// Prints <paramref name="message"/> and returns a <see cref="BpfException"/> whose text is the same
    /// message, prefixed with <paramref name="scope"/> (e.g. <c>object 'x'</c>) when one is given.
    /// </summary>
    public static BpfException Log(string message, int errno, string? scope = null, LogLevel level = LogLevel.Warn)
    {
        LibbpfLog.Print(level, message);
        return new BpfException(scope is null ? message : $"{scope}: {message}", errno);
    }

    /// <summary>
    /// Prints <paramref name="message"/> and returns a <see cref="BpfException"/> reading
    /// <c>object 'NAME': message</c>: libbpf's line does not name the object, the exception does.
    /// </summary>
    public static BpfException ForObject(string? objName, string message, int errno, LogLevel level = LogLevel.Warn)
        => Log(message, errno, $"object '{objName}'", level);

    /// <summary>Prints <paramref name="message"/> and returns the exception for the failed system call <paramref name="operation"/>.</summary>
    public static BpfSyscallException Syscall(string message, string operation, int errno, LogLevel level = LogLevel.Warn)
    {
        LibbpfLog.Print(level, message);
        return new BpfSyscallException(operation, errno);
    }

    /// <summary>
    /// Prints <paramref name="message"/> and returns <paramref name="exception"/>, for failures whose libbpf
    /// line and exception text say different things (the line is libbpf's, the exception names the object).
    /// </summary>
    public static T Log<T>(string message, T exception, LogLevel level = LogLevel.Warn) where T : BpfException
    {
        LibbpfLog.Print(level, message);
        return exception;
    }
}
