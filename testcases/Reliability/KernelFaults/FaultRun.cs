using BpfHarness;
using BpfHarness.Leaks;
using BpfLoader.Diagnostics;
using BpfLoader.Interop;
using BpfLoader.Kernel;
using BpfLoader.Objects;

namespace BpfTests.Reliability.KernelFaults;

/// <summary>What one open + load + dispose under a fault plan left: the outcome and anything of ours still alive.</summary>
internal sealed record FaultRunResult(FaultOutcome? Outcome, BpfException? Error, string Log, IReadOnlyList<LeakedFd> LeakedFds, IReadOnlyList<KernelObject> StillAlive,
    IReadOnlyList<string> PinsLeft, int Counted);

/// <summary>
/// Opens and loads one object under a <see cref="BpfFaultPlan"/>, disposes it whatever happened, and then asks
/// the kernel (id enumeration) whether any map, program, link or BTF object the load created is still alive,
/// and /proc/self/fd whether an fd is left. Pins go under the object's own bpffs folder (options.PinRoot):
/// with <c>freshPins</c> it is emptied first, so the load creates and pins its maps; a failed load must then
/// leave no pin (libbpf unpins what it pinned), a successful one's pins are removed before the kernel check.
/// Without it, pins left by an earlier load are reused.
/// </summary>
internal static class FaultRun
{
    public static readonly int[] Errnos = [Errno.EPERM, Errno.ENOMEM, Errno.E2BIG, Errno.EINVAL, Errno.EAGAIN, Errno.EINTR, Errno.ENOSPC];

    /// <summary>Loads <paramref name="path"/> without a fault; null when it loads, else the reason it does not (on this host).</summary>
    public static string? HostRefusal(string path, ObjectOpenOptions options)
    {
        try
        {
            using var obj = BpfObject.Open(path, options);
            obj.Load();
            return null;
        }
        catch (BpfException e)
        {
            return e.Message;
        }
    }

    public static FaultRunResult Load(string path, ObjectOpenOptions options, BpfFaultPlan plan, bool freshPins = true)
    {
        if (freshPins)
            RemovePins(options.PinRoot);
        var fdsBefore = LeakCheck.Snapshot();
        bool capturing = LogCapture.Start() == 0;
        BpfException? error = null;
        bool btfMandatory = false;
        using (BpfFaultInjection.Install(plan))
        {
            try
            {
                using var obj = BpfObject.Open(path, options);
                btfMandatory = obj.Maps.Any(m => m.Type == BpfMapType.StructOps);
                obj.Load();
            }
            catch (BpfException e)
            {
                error = e;
            }
        }
        string log = capturing ? LogCapture.Stop() ?? "" : "";
        var leakedFds = LeakCheck.FindLeaks(fdsBefore).Leaks;
        var pinsLeft = freshPins && error is not null ? Pins(options.PinRoot) : [];
        if (freshPins)
            RemovePins(options.PinRoot);
        var alive = KernelObjects.StillAlive(plan.Created.Select(c => (c.Kind, c.Id)));
        var hit = plan.Calls.FirstOrDefault(c => c.Injected);
        var outcome = plan.Injected == 0 ? null
            : new FaultOutcome((BpfCommand)hit.Command, plan.Errno, plan.Injected, error, log, btfMandatory);
        return new FaultRunResult(outcome, error, log, leakedFds, alive, pinsLeft, plan.Counted);
    }

    /// <summary>The pins under <paramref name="root"/> (none when it is missing).</summary>
    public static IReadOnlyList<string> Pins(string root) =>
        Directory.Exists(root) ? Directory.GetFileSystemEntries(root).Order(StringComparer.Ordinal).ToList() : [];

    private static void RemovePins(string root)
    {
        foreach (var pin in Pins(root))
            File.Delete(pin);
    }
}
