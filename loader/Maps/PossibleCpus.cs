namespace BpfLoader.Maps;

/// <summary>Number of possible CPUs (from /sys/devices/system/cpu/possible), which sizes per-CPU map values.</summary>
internal static class PossibleCpus
{
    private static readonly Lazy<int> Cached = new(Read);

    public static int Count => Cached.Value;

    /// <summary>Parses the kernel's CPU list format, e.g. <c>0-3,8</c>.</summary>
    public static int Parse(string list)
    {
        int max = -1;
        foreach (var part in list.Trim().Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var bounds = part.Split('-');
            int hi = int.Parse(bounds[^1], System.Globalization.CultureInfo.InvariantCulture);
            max = Math.Max(max, hi);
        }
        return max + 1;
    }

    private static int Read()
    {
        try
        {
            return Parse(File.ReadAllText("/sys/devices/system/cpu/possible"));
        }
        catch (IOException)
        {
            return Environment.ProcessorCount;
        }
    }
}
