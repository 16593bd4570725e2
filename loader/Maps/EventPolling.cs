using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using BpfLoader.Diagnostics;
using BpfLoader.Interop;
using BpfLoader.Kernel;

namespace BpfLoader.Maps;

/// <summary>
/// The epoll set and raw memory helpers shared by the ring buffer, user ring buffer and perf buffer readers:
/// each registered fd carries a caller-chosen 64-bit cookie, and <see cref="Wait"/> returns the ready cookies.
/// </summary>
internal sealed unsafe class EventPolling : IDisposable
{
    public const uint EpollIn = 0x001, EpollOut = 0x004;

    // struct epoll_event is { u32 events; u64 data; }: x86-64's uapi packs it to 12 bytes (data at 4), every
    // other architecture aligns data naturally (16 bytes, data at 8). The events array is kept as raw bytes
    // with the running architecture's stride.
    private static readonly int EventSize = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;
    private static readonly int DataOffset = EventSize - sizeof(ulong);

    private readonly FileDescriptor _epoll;
    private byte[] _events = new byte[4 * EventSize];
    private int _count;

    public EventPolling(string owner)
    {
        int fd = Native.EpollCreate1(Native.OCloexec);
        if (fd < 0)
            throw new BpfSyscallException($"{owner}: epoll_create1", Native.LastErrno);
        _epoll = new FileDescriptor(fd);
    }

    public int Fd => _epoll.Value;

    public void Add(int fd, ulong cookie, uint events, string owner)
    {
        byte* ev = stackalloc byte[16];
        *(uint*)ev = events;
        Unsafe.WriteUnaligned(ev + DataOffset, cookie);
        if (Native.EpollCtl(_epoll.Value, Native.EpollCtlAdd, fd, ev) < 0)
            throw new BpfSyscallException($"{owner}: epoll_ctl", Native.LastErrno);
        _count++;
        if (_events.Length < _count * EventSize)
            Array.Resize(ref _events, _count * 2 * EventSize);
    }

    /// <summary>Waits up to <paramref name="timeoutMs"/> (-1 = forever); returns the ready cookies, or -errno (EINTR is 0 ready).</summary>
    public int Wait(int timeoutMs, List<ulong> ready)
    {
        ready.Clear();
        int n;
        fixed (byte* p = _events)
            n = Native.EpollWait(_epoll.Value, p, _events.Length / EventSize, timeoutMs);
        if (n < 0)
        {
            int errno = Native.LastErrno;
            return errno == Errno.EINTR ? 0 : -errno;
        }
        for (int i = 0; i < n; i++)
            ready.Add(Unsafe.ReadUnaligned<ulong>(ref _events[i * EventSize + DataOffset]));
        return n;
    }

    public void Dispose() => _epoll.Dispose();

    /// <summary>mmap with libbpf-style error reporting; returns the address.</summary>
    public static nint Map(int fd, long length, int prot, long offset, string what)
    {
        nint address = Native.Mmap(0, (nuint)length, prot, Native.MapShared, fd, offset);
        if (address == -1)
            throw new BpfSyscallException($"{what}: mmap", Native.LastErrno);
        return address;
    }

    // Acquire/release accesses on the shared positions, as libbpf's smp_load_acquire / smp_store_release.
    public static ulong LoadAcquire(nint address) => Volatile.Read(ref *(ulong*)address);

    public static void StoreRelease(nint address, ulong value) => Volatile.Write(ref *(ulong*)address, value);

    public static uint LoadAcquire32(nint address) => Volatile.Read(ref *(uint*)address);
}
