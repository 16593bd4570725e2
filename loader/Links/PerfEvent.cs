using System.Text;
using BpfLoader.Diagnostics;
using BpfLoader.Kernel;

namespace BpfLoader.Links;

/// <summary>perf_event_open(2) for tracepoints and kprobes, the event sources of TRACEPOINT and KPROBE programs.</summary>
internal static unsafe class PerfEvent
{
    private const uint PerfTypeTracepoint = 2;
    public const ulong IocEnable = PerfEventOpen.IocEnable, IocSetBpf = PerfEventOpen.IocSetBpf;

    public static string TracingRoot()
    {
        foreach (var dir in new[] { "/sys/kernel/tracing", "/sys/kernel/debug/tracing" })
        {
            if (File.Exists(Path.Combine(dir, "available_events")) || Directory.Exists(Path.Combine(dir, "events")))
                return dir;
        }
        return "/sys/kernel/tracing";
    }

    public static int TryOpenTracepoint(string category, string name, out string error)
    {
        string idPath = Path.Combine(TracingRoot(), "events", category, name, "id");
        uint id;
        try
        {
            id = uint.Parse(File.ReadAllText(idPath).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            error = $"failed to determine tracepoint '{category}/{name}' perf event ID: {Errno.Str(Errno.ENOENT)}";
            return -Errno.ENOENT;
        }
        var attr = new PerfEventAttr { Type = PerfTypeTracepoint, Config = id };
        error = "";
        return Open(ref attr);
    }

    public static int TryOpenKprobe(string function, ulong offset, bool retprobe, out string error)
    {
        error = "";
        int type = ReadInt("/sys/bus/event_source/devices/kprobe/type");
        if (type < 0)
        {
            error = "failed to determine kprobe perf type: kprobe PMU is not available";
            return -Errno.ENOENT;
        }
        ulong config = 0;
        if (retprobe)
        {
            int bit = ReadRetprobeBit();
            if (bit < 0)
            {
                error = "failed to determine kretprobe perf type bit";
                return -Errno.ENOENT;
            }
            config = 1UL << bit;
        }
        var name = Encoding.UTF8.GetBytes(function + "\0");
        fixed (byte* p = name)
        {
            var attr = new PerfEventAttr { Type = (uint)type, Config = config, Config1 = (ulong)p, Config2 = offset };
            return Open(ref attr);
        }
    }

    private static int Open(ref PerfEventAttr attr) => PerfEventOpen.Open(ref attr, cpu: 0);

    private static int ReadInt(string path)
    {
        try
        {
            return int.Parse(File.ReadAllText(path).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return -1;
        }
    }

    /// <summary>The format file says e.g. <c>config:0</c>: the bit of attr.config that selects a return probe.</summary>
    private static int ReadRetprobeBit()
    {
        try
        {
            var text = File.ReadAllText("/sys/bus/event_source/devices/kprobe/format/retprobe").Trim();
            return text.StartsWith("config:", StringComparison.Ordinal) ? int.Parse(text[7..], System.Globalization.CultureInfo.InvariantCulture) : -1;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return -1;
        }
    }
}
