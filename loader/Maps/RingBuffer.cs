using BpfLoader.Diagnostics;
using BpfLoader.Interop;
using BpfLoader.Kernel;

namespace BpfLoader.Maps;

/// <summary>
/// Called for each committed ring buffer sample. As in libbpf, a negative return stops consumption and is returned
/// (the sample counts as consumed); zero or a positive return lets consumption go on.
/// </summary>
public delegate int RingBufferSampleHandler(ReadOnlySpan<byte> sample);

/// <summary>
/// libbpf's <c>ring_buffer</c>: the user-space consumer of one or more <c>BPF_MAP_TYPE_RINGBUF</c> maps. Each map's
/// consumer page is mapped writable and its producer page plus data area (mapped twice by the kernel so a
/// sample never wraps) read-only; <see cref="Poll"/> waits on an epoll set and <see cref="Consume"/> walks
/// committed samples, skipping discarded ones and stopping at one still being written.
/// </summary>
public sealed class RingBuffer : IDisposable
{
    internal const uint BusyBit = 1u << 31, DiscardBit = 1u << 30;
    internal const int HeaderSize = 8;

    private sealed class Ring(BpfMap map, RingBufferSampleHandler handler, nint consumer, nint producer, long mask, long producerLength)
    {
        public BpfMap Map { get; } = map;
        public RingBufferSampleHandler Handler { get; } = handler;
        public nint Consumer { get; } = consumer;
        public nint Producer { get; } = producer;
        public long Mask { get; } = mask;
        public long ProducerLength { get; } = producerLength;
    }

    private readonly List<Ring> _rings = [];
    private readonly EventPolling _epoll = new("ringbuf");
    private readonly List<ulong> _ready = [];
    private readonly int _page = Native.GetPageSize();
    private bool _disposed;

    /// <summary>A consumer of the BPF ring buffer <paramref name="map"/>; each sample goes to <paramref name="handler"/>.</summary>
    public RingBuffer(BpfMap map, RingBufferSampleHandler handler) => Add(map, handler);

    /// <summary>The epoll fd (libbpf's <c>ring_buffer__epoll_fd</c>), readable when any ring has data.</summary>
    public int EpollFd => _epoll.Fd;

    /// <summary>Adds another ring buffer map (libbpf's <c>ring_buffer__add</c>).</summary>
    public unsafe void Add(BpfMap map, RingBufferSampleHandler handler)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (map.Type != BpfMapType.Ringbuf)
        {
            throw LibbpfError.Log($"ringbuf: map fd={map.Fd} is not BPF_MAP_TYPE_RINGBUF", new BpfException($"map '{map.Name}': not a BPF_MAP_TYPE_RINGBUF map", Errno.EINVAL));
        }
        long size = map.MaxEntries;
        nint consumer = EventPolling.Map(map.Fd, _page, Native.ProtRead | Native.ProtWrite, 0, $"ringbuf map '{map.Name}' consumer page");
        nint producer;
        try
        {
            producer = EventPolling.Map(map.Fd, _page + 2 * size, Native.ProtRead, _page, $"ringbuf map '{map.Name}' producer page");
        }
        catch
        {
            Native.Munmap(consumer, (nuint)_page);
            throw;
        }
        var ring = new Ring(map, handler, consumer, producer, size - 1, _page + 2 * size);
        _rings.Add(ring);
        _epoll.Add(map.Fd, (ulong)(_rings.Count - 1), EventPolling.EpollIn, $"ringbuf map '{map.Name}'");
    }

    /// <summary>Waits up to <paramref name="timeoutMs"/> for data and consumes the rings that have some; returns the samples handled or -errno.</summary>
    public int Poll(int timeoutMs)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        int n = _epoll.Wait(timeoutMs, _ready);
        if (n < 0)
            return n;
        long total = 0;
        foreach (var cookie in _ready)
        {
            long r = ConsumeRing(_rings[(int)cookie]);
            if (r < 0)
                return (int)r;
            total += r;
        }
        return (int)Math.Min(total, int.MaxValue);
    }

    /// <summary>Consumes every available sample of every ring without waiting; returns the count or the handler's error.</summary>
    public int Consume()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        long total = 0;
        foreach (var ring in _rings)
        {
            long r = ConsumeRing(ring);
            if (r < 0)
                return (int)r;
            total += r;
        }
        return (int)Math.Min(total, int.MaxValue);
    }

    private unsafe long ConsumeRing(Ring ring)
    {
        long count = 0;
        nint data = ring.Producer + _page;
        ulong cons = EventPolling.LoadAcquire(ring.Consumer);
        bool more;
        do
        {
            more = false;
            ulong prod = EventPolling.LoadAcquire(ring.Producer);
            while (cons < prod)
            {
                nint hdr = data + (nint)((long)cons & ring.Mask);
                uint len = EventPolling.LoadAcquire32(hdr);
                if ((len & BusyBit) != 0)
                    break;   // still being written by the producer
                more = true;
                cons += RoundUp(len);
                if ((len & DiscardBit) == 0)
                {
                    var sample = new ReadOnlySpan<byte>((void*)(hdr + HeaderSize), (int)(len & ~(BusyBit | DiscardBit)));
                    // libbpf's rule: a negative return stops here with that error (the consumer position
                    // already past this sample); zero or positive counts the sample as consumed and goes on.
                    int err = ring.Handler(sample);
                    if (err < 0)
                    {
                        EventPolling.StoreRelease(ring.Consumer, cons);
                        return err;
                    }
                    count++;
                }
                EventPolling.StoreRelease(ring.Consumer, cons);
            }
        }
        while (more);
        return count;
    }

    // Sample length plus header, rounded up to 8 bytes (the flag bits cleared).
    internal static ulong RoundUp(uint len) => (((len & ~(BusyBit | DiscardBit)) + HeaderSize + 7) / 8) * 8;

    /// <summary>Unmaps the ring and closes the epoll descriptor.</summary>
    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        foreach (var ring in _rings)
        {
            Native.Munmap(ring.Consumer, (nuint)_page);
            Native.Munmap(ring.Producer, (nuint)ring.ProducerLength);
        }
        _epoll.Dispose();
    }
}
