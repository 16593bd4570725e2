using BpfLoader.Diagnostics;
using BpfLoader.Interop;
using BpfLoader.Kernel;

namespace BpfLoader.Maps;

/// <summary>
/// libbpf's <c>map_set_def_max_entries</c> and <c>adjust_ringbuf_sz</c>, applied just before a map is created:
/// a perf event array without max_entries gets one slot per possible CPU, and ring buffer sizes are rounded
/// up to a power-of-two multiple of the page size (the kernel's requirement).
/// </summary>
internal static class MapDefaults
{
    public static void Apply(BpfMap map)
    {
        if (map.Type == BpfMapType.PerfEventArray && map.MaxEntries == 0)
            map.MaxEntries = (uint)PossibleCpus.Count;
        if (map.Type is BpfMapType.Ringbuf or BpfMapType.UserRingbuf)
        {
            uint adjusted = AdjustRingbufSize(map.MaxEntries);
            if (adjusted != map.MaxEntries)
                LibbpfLog.Debug($"map '{map.Name}': adjusted ringbuf size {map.MaxEntries} -> {adjusted}");
            map.MaxEntries = adjusted;
        }
    }

    // The smallest page_size * 2^k that is at least sz (sz itself when that does not fit in 32 bits).
    private static uint AdjustRingbufSize(uint sz)
    {
        ulong result = (ulong)Native.GetPageSize();
        while (result < sz)
            result <<= 1;
        return result <= uint.MaxValue ? (uint)result : sz;
    }
}
