namespace BpfTests.Programs;

/// <summary>What attach tests need from the environment: tracefs mounted (a fresh VM or container may not have it).</summary>
internal static class TracingEnvironment
{
    private static readonly Lazy<bool> TracefsReady = new(() =>
    {
        if (Directory.Exists("/sys/kernel/tracing/events"))
            return true;
        using var mount = System.Diagnostics.Process.Start("mount", "-t tracefs nodev /sys/kernel/tracing");
        mount!.WaitForExit(10_000);
        return Directory.Exists("/sys/kernel/tracing/events");
    });

    public static bool EnsureTracefs() => TracefsReady.Value;
}
