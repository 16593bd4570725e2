namespace BpfLoader.Diagnostics;

/// <summary>The kernel refused with -EPERM because this process lacks <see cref="MissingCapability"/>.</summary>
public sealed class BpfPermissionException(string missingCapability, BpfException inner)
    : BpfException($"{inner.Message} (the process lacks {missingCapability}: run as root or grant CAP_BPF, "
        + "with CAP_PERFMON and CAP_NET_ADMIN for tracing and networking programs)", Errno.EPERM, inner)
{
    /// <summary>The capability the kernel wanted (e.g. <c>CAP_BPF</c>).</summary>
    public string MissingCapability { get; } = missingCapability;
}
