using System.Runtime.InteropServices;
using BpfLoader.Interop;

namespace BpfLoader.Kernel;

/// <summary>The fields of <c>struct perf_event_attr</c> the loader sets (the rest stays zero).</summary>
[StructLayout(LayoutKind.Explicit, Size = 128)]
internal struct PerfEventAttr
{
    public const int Ver5Size = 112; // PERF_ATTR_SIZE_VER5

    [FieldOffset(0)] public uint Type;
    [FieldOffset(4)] public uint Size;
    [FieldOffset(8)] public ulong Config;
    [FieldOffset(16)] public ulong SamplePeriod;
    [FieldOffset(24)] public ulong SampleType;
    [FieldOffset(40)] public ulong Flags;
    [FieldOffset(48)] public uint WakeupEvents;
    [FieldOffset(56)] public ulong Config1;
    [FieldOffset(64)] public ulong Config2;
}

/// <summary>perf_event_open(2), shared by tracepoint/kprobe attachment and the perf buffer.</summary>
internal static unsafe class PerfEventOpen
{
    public const ulong IocEnable = 0x2400, IocDisable = 0x2401, IocSetBpf = 0x40042408;
    private const int FlagFdCloexec = 8;

    /// <summary>Opens the event for any process on <paramref name="cpu"/>; returns the fd or -errno.</summary>
    public static int Open(ref PerfEventAttr attr, int cpu)
    {
        attr.Size = PerfEventAttr.Ver5Size;
        fixed (PerfEventAttr* p = &attr)
        {
            long r = Native.Syscall(Native.SysPerfEventOpen, (long)p, -1, cpu, -1, FlagFdCloexec);
            return r < 0 ? -Native.LastErrno : (int)r;
        }
    }
}
