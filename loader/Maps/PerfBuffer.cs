using System.Runtime.InteropServices;
using BpfLoader.Diagnostics;
using BpfLoader.Interop;
using BpfLoader.Kernel;

namespace BpfLoader.Maps;

/// <summary>A sample written by <c>bpf_perf_event_output</c> on <paramref name="cpu"/>.</summary>
public delegate void PerfSampleHandler(int cpu, ReadOnlySpan<byte> data);

/// <summary>Records the kernel dropped on <paramref name="cpu"/> because the buffer was full.</summary>
public delegate void PerfLostHandler(int cpu, ulong lost);

/// <summary>
/// libbpf's <c>perf_buffer</c>: one BPF-output perf event per online CPU, each with its ring of
/// <c>pageCount</c> pages (a power of two) mapped after the control page, stored in the
/// <c>BPF_MAP_TYPE_PERF_EVENT_ARRAY</c> at the CPU's index, and read through an epoll set.
/// </summary>
public sealed unsafe class PerfBuffer : IDisposable
{
    private const uint PerfTypeSoftware = 1;
    private const ulong PerfCountSwBpfOutput = 10, PerfSampleRaw = 1 << 10;
    private const ulong IocEnable = PerfEventOpen.IocEnable, IocDisable = PerfEventOpen.IocDisable;
    private const uint RecordLost = 2, RecordSample = 9;
    private const int DataHeadOffset = 1024, DataTailOffset = 1032;

    private sealed record CpuBuffer(int Cpu, FileDescriptor Fd, nint Base);

    private readonly BpfMap _map;
    private readonly PerfSampleHandler _onSample;
    private readonly PerfLostHandler? _onLost;
    private readonly List<CpuBuffer> _cpus = [];
    private readonly EventPolling _epoll = new("perf buffer");
    private readonly List<ulong> _ready = [];
    private readonly int _page = Native.GetPageSize();
    private readonly long _mmapSize;
    private byte[] _copy = new byte[256];
    private bool _disposed;

    /// <summary>A reader of a perf event array: one ring of <paramref name="pageCount"/> pages per possible CPU, samples to <paramref name="onSample"/>, losses to <paramref name="onLost"/>.</summary>
    public PerfBuffer(BpfMap map, int pageCount, PerfSampleHandler onSample, PerfLostHandler? onLost = null)
    {
        if (pageCount <= 0 || (pageCount & (pageCount - 1)) != 0)
        {
            throw LibbpfError.Log($"page count should be power of two, but is {pageCount}", new BpfException($"perf buffer: page count {pageCount} is not a power of two", Errno.EINVAL));
        }
        if (map.Type != BpfMapType.PerfEventArray)
        {
            throw LibbpfError.Log($"map '{map.Name}' should be BPF_MAP_TYPE_PERF_EVENT_ARRAY", new BpfException($"map '{map.Name}': not a BPF_MAP_TYPE_PERF_EVENT_ARRAY map", Errno.EINVAL));
        }
        _map = map;
        _onSample = onSample;
        _onLost = onLost;
        _mmapSize = (long)pageCount * _page;
        try
        {
            foreach (int cpu in OnlineCpus())
            {
                if (cpu >= map.MaxEntries)
                    continue;   // like libbpf: CPUs beyond the array have no slot
                OpenCpu(cpu);
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The epoll descriptor that becomes readable when a ring has data.</summary>
    public int EpollFd => _epoll.Fd;

    /// <summary>CPUs with a buffer (online ones that fit in the map).</summary>
    public IReadOnlyList<int> Cpus => _cpus.Select(c => c.Cpu).ToList();

    private void OpenCpu(int cpu)
    {
        var attr = new PerfEventAttr
        {
            Type = PerfTypeSoftware,
            Config = PerfCountSwBpfOutput,
            SampleType = PerfSampleRaw,
            SamplePeriod = 1,
            WakeupEvents = 1,
        };
        int fd = PerfEventOpen.Open(ref attr, cpu);
        if (fd < 0)
        {
            int errno = -fd;
            throw LibbpfError.Syscall($"failed to open perf buffer event on cpu #{cpu}: {Errno.Str(errno)}", $"perf buffer: perf_event_open on cpu {cpu}", errno);
        }
        var handle = new FileDescriptor(fd);
        nint address;
        try
        {
            address = EventPolling.Map(handle.Value, _page + _mmapSize, Native.ProtRead | Native.ProtWrite, 0, $"perf buffer cpu #{cpu}");
        }
        catch
        {
            handle.Dispose();
            throw;
        }
        var buffer = new CpuBuffer(cpu, handle, address);
        _cpus.Add(buffer);
        if (Native.Ioctl(handle.Value, IocEnable, 0) < 0)
        {
            int errno = Native.LastErrno;
            throw LibbpfError.Syscall($"failed to enable perf buffer event on cpu #{cpu}: {Errno.Str(errno)}", $"perf buffer: enable on cpu {cpu}", errno);
        }
        int r = BpfSyscall.TryMapUpdate(_map.Fd, BitConverter.GetBytes(cpu), BitConverter.GetBytes(handle.Value));
        if (r < 0)
        {
            throw LibbpfError.Syscall($"failed to set cpu #{cpu}, key {cpu} -> perf FD {handle.Value}: {Errno.Str(r)}", $"perf buffer: map '{_map.Name}' slot {cpu}", -r);
        }
        _epoll.Add(handle.Value, (ulong)(_cpus.Count - 1), EventPolling.EpollIn, $"perf buffer cpu #{cpu}");
    }

    /// <summary>Waits up to <paramref name="timeoutMs"/> and reads the CPUs that have records; returns the ready CPU count or -errno.</summary>
    public int Poll(int timeoutMs)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        int n = _epoll.Wait(timeoutMs, _ready);
        if (n < 0)
            return n;
        foreach (var cookie in _ready)
            ReadCpu(_cpus[(int)cookie]);
        return n;
    }

    /// <summary>Reads every CPU's buffer without waiting.</summary>
    public void Consume()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        foreach (var cpu in _cpus)
            ReadCpu(cpu);
    }

    private void ReadCpu(CpuBuffer cpu)
    {
        nint header = cpu.Base;
        ulong head = EventPolling.LoadAcquire(header + DataHeadOffset);
        ulong tail = *(ulong*)(header + DataTailOffset);
        nint data = header + _page;
        while (head != tail)
        {
            long off = (long)(tail & (ulong)(_mmapSize - 1));
            nint rec = data + (nint)off;
            int size = *(ushort*)(rec + 6);
            ReadOnlySpan<byte> record;
            if (off + size > _mmapSize)
            {
                // The record wraps around the end of the ring: copy both parts.
                if (_copy.Length < size)
                    _copy = new byte[size];
                int first = (int)(_mmapSize - off);
                new ReadOnlySpan<byte>((void*)rec, first).CopyTo(_copy);
                new ReadOnlySpan<byte>((void*)data, size - first).CopyTo(_copy.AsSpan(first));
                record = _copy.AsSpan(0, size);
            }
            else
            {
                record = new ReadOnlySpan<byte>((void*)rec, size);
            }
            uint type = MemoryMarshal.Read<uint>(record);
            if (type == RecordSample && record.Length >= 12)
            {
                int rawSize = (int)MemoryMarshal.Read<uint>(record[8..]);
                _onSample(cpu.Cpu, record.Slice(12, Math.Min(rawSize, record.Length - 12)));
            }
            else if (type == RecordLost && record.Length >= 24)
            {
                _onLost?.Invoke(cpu.Cpu, MemoryMarshal.Read<ulong>(record[16..]));
            }
            tail += (ulong)size;
            if (size == 0)
                break;   // a corrupt header would loop forever
        }
        EventPolling.StoreRelease(header + DataTailOffset, tail);
    }

    /// <summary>Online CPUs from /sys/devices/system/cpu/online ("0-3,5").</summary>
    internal static List<int> OnlineCpus()
    {
        var result = new List<int>();
        string text = File.Exists("/sys/devices/system/cpu/online") ? File.ReadAllText("/sys/devices/system/cpu/online").Trim() : "0";
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var range = part.Split('-');
            int lo = int.Parse(range[0], System.Globalization.CultureInfo.InvariantCulture);
            int hi = range.Length > 1 ? int.Parse(range[1], System.Globalization.CultureInfo.InvariantCulture) : lo;
            for (int c = lo; c <= hi; c++)
                result.Add(c);
        }
        return result;
    }

    /// <summary>Unmaps the rings and closes their perf events.</summary>
    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        foreach (var cpu in _cpus)
        {
            if (_map.IsCreated)
                BpfSyscall.TryMapDelete(_map.Fd, BitConverter.GetBytes(cpu.Cpu));
            Native.Ioctl(cpu.Fd.Value, IocDisable, 0);
            Native.Munmap(cpu.Base, (nuint)(_page + _mmapSize));
            cpu.Fd.Dispose();
        }
        _epoll.Dispose();
    }
}
