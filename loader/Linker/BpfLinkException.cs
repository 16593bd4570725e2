using BpfLoader.Diagnostics;

namespace BpfLoader.Linker;

/// <summary>
/// A link failed. <see cref="Exception.Message"/> starts with libbpf's linker text word for word (the same text
/// is printed through <see cref="LibbpfLog"/> as a WARN), followed by the input file when libbpf's text does
/// not name it. <see cref="BpfException.Error"/> is libbpf's negative errno.
/// </summary>
public sealed class BpfLinkException : BpfException
{
    internal BpfLinkException(string libbpfText, int error, string? file, string? symbol)
        : base(file is null || libbpfText.Contains(file, StringComparison.Ordinal) ? libbpfText : $"{libbpfText} (linking '{file}')", error)
    {
        LibbpfText = libbpfText;
        File = file;
        Symbol = symbol;
    }

    /// <summary>The message exactly as libbpf prints it (without the <c>libbpf: </c> prefix).</summary>
    public string LibbpfText { get; }

    /// <summary>The input being added when the link failed (null while finalizing).</summary>
    public string? File { get; }

    /// <summary>The symbol the failure is about, when there is one.</summary>
    public string? Symbol { get; }

    /// <summary>Logs <paramref name="libbpfText"/> as a WARN and builds the exception to throw.</summary>
    internal static BpfLinkException Warn(string libbpfText, int errno, string? file, string? symbol = null)
        => LibbpfError.Log(libbpfText, new BpfLinkException(libbpfText, errno, file, symbol));
}
