using BpfLoader.Diagnostics;
using BpfLoader.Interop;
using BpfLoader.Kernel;

namespace BpfLoader.Maps;

/// <summary>
/// A shared memory mapping of a BPF_F_MMAPABLE array map (global data after load).
/// Spans over it (<see cref="BpfMap.Data"/>) are not tracked by the GC and may outlive the map, so releasing
/// never unmaps: the shared pages are replaced in place by private zero pages (MAP_FIXED), which drops the
/// kernel map's mapping while a stale span still reads zeros and writes into memory nobody else sees. The
/// address range stays reserved for the life of the process (untouched pages cost no memory).
/// </summary>
internal sealed unsafe class MappedRegion : IDisposable
{
    private nint _address;

    private MappedRegion(nint address, int length, bool writable)
    {
        _address = address;
        Length = length;
        Writable = writable;
    }

    public int Length { get; }
    public bool Writable { get; }

    public Span<byte> Span => _address == 0 ? throw new ObjectDisposedException(nameof(MappedRegion)) : new Span<byte>((void*)_address, Length);

    public static MappedRegion Map(int fd, int length, bool writable, string mapName)
    {
        int page = Native.GetPageSize();
        nuint mapped = (nuint)((length + page - 1) / page * page);
        int prot = Native.ProtRead | (writable ? Native.ProtWrite : 0);
        nint address = Native.Mmap(0, mapped, prot, Native.MapShared, fd, 0);
        if (address == -1)
        {
            int errno = Native.LastErrno;
            throw LibbpfError.Syscall($"map '{mapName}': failed to re-mmap() contents: {Errno.Str(errno)}", $"map '{mapName}': mmap", errno);
        }
        return new MappedRegion(address, length, writable);
    }

    public void Dispose()
    {
        var address = Interlocked.Exchange(ref _address, 0);
        if (address == 0)
            return;
        int page = Native.GetPageSize();
        nuint mapped = (nuint)((Length + page - 1) / page * page);
        nint replaced = Native.Mmap(address, mapped, Native.ProtRead | Native.ProtWrite,
            Native.MapPrivate | Native.MapAnonymous | Native.MapFixed, -1, 0);
        // Should the replacement fail, the shared mapping stays: it keeps the kernel map alive, which is
        // a leak but never a dangling span.
        if (replaced == -1)
            LibbpfLog.Warn($"failed to release map memory at 0x{address:x}: {Errno.Str(Native.LastErrno)}");
    }
}
