using BpfLoader.Diagnostics;

namespace BpfLoader.Kernel;

/// <summary>
/// Whether this process holds what loading BPF objects needs: CAP_BPF (kernel 5.8+) or CAP_SYS_ADMIN in its
/// effective capability set (the <c>CapEff</c> line of /proc/self/status). Used to turn a bare -EPERM into an
/// error that names the missing capability; the decision (<see cref="Missing"/>) is pure.
/// </summary>
internal static class BpfCapabilities
{
    public const int CapSysAdmin = 21, CapBpf = 39;

    /// <summary>What <paramref name="effective"/> lacks for loading, or null when it has CAP_BPF or CAP_SYS_ADMIN.</summary>
    public static string? Missing(ulong effective) =>
        (effective & (1UL << CapBpf | 1UL << CapSysAdmin)) == 0 ? "CAP_BPF (or CAP_SYS_ADMIN)" : null;

    /// <summary>The effective capability set of this process, or null when /proc does not say.</summary>
    public static ulong? Effective()
    {
        try
        {
            var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("CapEff:", StringComparison.Ordinal));
            return line is not null && ulong.TryParse(line["CapEff:".Length..].Trim(), System.Globalization.NumberStyles.HexNumber, null, out var caps)
                ? caps : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>
    /// <paramref name="e"/> again, or — when it is -EPERM and this process lacks the capability — a
    /// <see cref="BpfPermissionException"/> that says which one.
    /// </summary>
    public static BpfException Explain(BpfException e)
    {
        if (e.Error != -Errno.EPERM || e is BpfPermissionException || Effective() is not { } caps || Missing(caps) is not { } missing)
            return e;
        return new BpfPermissionException(missing, e);
    }
}
