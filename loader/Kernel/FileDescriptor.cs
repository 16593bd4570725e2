using System.Runtime.InteropServices;
using BpfLoader.Interop;

namespace BpfLoader.Kernel;

/// <summary>
/// An owned kernel file descriptor (map, program, link, BTF, perf event, memfd). Disposing closes it once;
/// the finalizer closes it if the owner forgot, so a leak check sees only objects a test really kept.
/// </summary>
public sealed class FileDescriptor : SafeHandle
{
    /// <summary>Takes ownership of <paramref name="fd"/>; it is closed when this handle is disposed.</summary>
    public FileDescriptor(int fd) : base(new IntPtr(-1), ownsHandle: true) => SetHandle(new IntPtr(fd));

    /// <summary>The descriptor number (-1 once released).</summary>
    public int Value => IsClosed ? -1 : (int)handle;

    /// <inheritdoc/>
    public override bool IsInvalid => (int)handle < 0;

    /// <inheritdoc/>
    protected override bool ReleaseHandle() => Native.Close((int)handle) == 0;

    /// <inheritdoc/>
    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
