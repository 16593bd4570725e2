using BpfLoader.Diagnostics;
using BpfLoader.Interop;
using BpfLoader.Kernel;

namespace BpfLoader.Maps;

/// <summary>A shared memory mapping of a BPF_F_MMAPABLE array map (global data after load).</summary>
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
            LibbpfLog.Warn($"map '{mapName}': failed to re-mmap() contents: {Errno.Str(errno)}");
            throw new BpfSyscallException($"map '{mapName}': mmap", errno);
        }
        return new MappedRegion(address, length, writable);
    }

    public void Dispose()
    {
        var address = Interlocked.Exchange(ref _address, 0);
        if (address != 0)
        {
            int page = Native.GetPageSize();
            Native.Munmap(address, (nuint)((Length + page - 1) / page * page));
        }
    }
}
