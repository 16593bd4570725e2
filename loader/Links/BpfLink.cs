using BpfLoader.Diagnostics;
using BpfLoader.Kernel;

namespace BpfLoader.Links;

/// <summary>
/// An attachment of a program (or a struct_ops map). Disposing it detaches: closing a BPF link fd releases
/// the link, and a perf-event attachment goes away with its perf event fd.
/// </summary>
public class BpfLink : IDisposable
{
    private FileDescriptor? _fd;
    private readonly FileDescriptor? _perfEventFd;

    internal BpfLink(FileDescriptor fd, string description, bool isKernelLink = true, FileDescriptor? perfEventFd = null)
    {
        _fd = fd;
        _perfEventFd = perfEventFd;
        Description = description;
        IsKernelLink = isKernelLink;
    }

    /// <summary>What was attached to what, for messages.</summary>
    public string Description { get; }

    /// <summary>True when <see cref="Fd"/> is a BPF link (BPF_LINK_CREATE / RAW_TRACEPOINT_OPEN), false for a bare perf event.</summary>
    public bool IsKernelLink { get; }

    /// <summary>The link's descriptor (a BPF link or perf event, by how it was attached); -1 once released.</summary>
    public int Fd => _fd?.Value ?? -1;
    /// <summary>Whether the link was detached and released.</summary>
    public bool IsDisposed => _fd is null;

    /// <summary>BPF_LINK_DETACH: the link fd stays open but no longer attaches anything.</summary>
    public virtual void Detach()
    {
        int r = BpfSyscall.TryLinkDetach(RequireFd());
        if (r < 0)
            throw new BpfSyscallException($"link ({Description}): detach", -r);
    }

    /// <summary>BPF_LINK_UPDATE to another program or struct_ops map fd.</summary>
    public void Update(int newFd, int expectedOldFd = 0)
    {
        int r = BpfSyscall.TryLinkUpdate(RequireFd(), newFd, expectedOldFd, expectedOldFd != 0 ? 1u << 2 /* BPF_F_REPLACE */ : 0);
        if (r < 0)
            throw new BpfSyscallException($"link ({Description}): update", -r);
    }

    /// <summary>The descriptor; ObjectDisposedException once the link is released.</summary>
    protected int RequireFd() => _fd?.Value ?? throw new ObjectDisposedException(Description);

    /// <summary>Detaches and releases the link (libbpf's <c>bpf_link__destroy</c>).</summary>
    public virtual void Dispose()
    {
        _fd?.Dispose();
        _fd = null;
        _perfEventFd?.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <inheritdoc/>
    public override string ToString() => $"link fd {Fd}: {Description}";
}
