using BpfLoader.Diagnostics;
using BpfLoader.Interop;
using BpfLoader.Kernel;

namespace BpfLoader.Maps;

/// <summary>
/// libbpf's <c>user_ring_buffer</c>: the user-space producer of a <c>BPF_MAP_TYPE_USER_RINGBUF</c> map, drained by
/// programs with <c>bpf_user_ringbuf_drain</c>. The consumer position is mapped read-only (the kernel refuses
/// write access), the producer page and the double-mapped data area writable. Single producer: callers
/// serialize <see cref="Reserve"/>/<see cref="UserRingBufferSample.Submit"/> themselves, as with libbpf.
/// </summary>
public sealed unsafe class UserRingBuffer : IDisposable
{
    private readonly BpfMap _map;
    private readonly nint _consumer;
    private readonly nint _producer;
    private readonly long _mask;
    private readonly long _producerLength;
    private readonly int _page = Native.GetPageSize();
    private bool _disposed;

    /// <summary>A producer into the user ring buffer <paramref name="map"/>.</summary>
    public UserRingBuffer(BpfMap map)
    {
        if (map.Type != BpfMapType.UserRingbuf)
            throw new BpfException($"map '{map.Name}': not a BPF_MAP_TYPE_USER_RINGBUF map", Errno.EINVAL);
        _map = map;
        long size = map.MaxEntries;
        _mask = size - 1;
        _consumer = EventPolling.Map(map.Fd, _page, Native.ProtRead, 0, $"user ringbuf map '{map.Name}' consumer page");
        _producerLength = _page + 2 * size;
        try
        {
            _producer = EventPolling.Map(map.Fd, _producerLength, Native.ProtRead | Native.ProtWrite, _page, $"user ringbuf map '{map.Name}' producer page");
        }
        catch
        {
            Native.Munmap(_consumer, (nuint)_page);
            throw;
        }
    }

    /// <summary>
    /// Reserves <paramref name="size"/> bytes (libbpf's <c>user_ring_buffer__reserve</c>): throws -E2BIG when the
    /// sample can never fit and -ENOSPC when the ring is currently full.
    /// </summary>
    public UserRingBufferSample Reserve(int size)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ulong cons = EventPolling.LoadAcquire(_consumer);
        ulong prod = EventPolling.LoadAcquire(_producer);
        ulong max = (ulong)(_mask + 1);
        ulong avail = max - (prod - cons);
        ulong total = ((ulong)size + RingBuffer.HeaderSize + 7) / 8 * 8;
        if (size < 0 || total > max)
            throw new BpfException($"user ringbuf map '{_map.Name}': sample of {size} bytes can never fit", Errno.E2BIG);
        if (avail < total)
            throw new BpfException($"user ringbuf map '{_map.Name}': no space for {size} bytes", Errno.ENOSPC);
        nint data = _producer + _page;
        nint hdr = data + (nint)((long)prod & _mask);
        *(uint*)hdr = (uint)size | RingBuffer.BusyBit;
        *(uint*)(hdr + 4) = 0;
        // Publishes the busy header: the kernel stops at it until the sample is submitted.
        EventPolling.StoreRelease(_producer, prod + total);
        return new UserRingBufferSample(this, hdr, size);
    }

    /// <summary>Reserves, copies <paramref name="data"/> and submits in one step.</summary>
    public void Write(ReadOnlySpan<byte> data)
    {
        var sample = Reserve(data.Length);
        data.CopyTo(sample.Data);
        sample.Submit();
    }

    internal void Commit(nint hdr, bool discard)
    {
        uint len = *(uint*)hdr & ~RingBuffer.BusyBit;
        if (discard)
            len |= RingBuffer.DiscardBit;
        Interlocked.Exchange(ref *(int*)hdr, (int)len);
    }

    /// <summary>Unmaps the ring.</summary>
    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        Native.Munmap(_consumer, (nuint)_page);
        Native.Munmap(_producer, (nuint)_producerLength);
    }
}

/// <summary>A reserved user ring buffer sample: fill <see cref="Data"/>, then <see cref="Submit"/> or <see cref="Discard"/> it once.</summary>
public sealed unsafe class UserRingBufferSample
{
    private readonly UserRingBuffer _owner;
    private readonly nint _hdr;
    private bool _done;

    internal UserRingBufferSample(UserRingBuffer owner, nint hdr, int size)
    {
        _owner = owner;
        _hdr = hdr;
        Size = size;
    }

    /// <summary>The sample's size in bytes.</summary>
    public int Size { get; }

    /// <summary>The reserved space to fill before <see cref="Submit"/>.</summary>
    public Span<byte> Data => _done ? throw new InvalidOperationException("sample already submitted or discarded") : new((void*)(_hdr + RingBuffer.HeaderSize), Size);

    /// <summary>Hands the sample to the BPF side.</summary>
    public void Submit() => Finish(false);

    /// <summary>Gives the reserved space back unused.</summary>
    public void Discard() => Finish(true);

    private void Finish(bool discard)
    {
        if (_done)
            throw new InvalidOperationException("sample already submitted or discarded");
        _done = true;
        _owner.Commit(_hdr, discard);
    }
}
