using System.Diagnostics;
using BpfLoader.Diagnostics;

namespace BpfFuzz;

/// <summary>A broken invariant: an untyped exception, a case over its time or allocation bound, or an fd left open.</summary>
public sealed record Violation(string Kind, string Detail)
{
    /// <summary>What minimization must preserve: the kind, and for exceptions the type and the throwing method.</summary>
    public string Signature { get; init; } = Kind;
}

/// <summary>The outcome of one case: accepted, refused with a typed error (its errno), or a violation.</summary>
public sealed record CaseOutcome(bool Accepted, int Errno, Violation? Violation);

/// <summary>
/// The per-case invariants: only <see cref="BpfException"/> may escape; the case ends within
/// <see cref="TimeLimit"/> plus a share per megabyte of input; it allocates at most
/// <see cref="AllocationBase"/> plus <see cref="AllocationPerInputByte"/> times the input size; it leaves no fd open.
/// </summary>
public static class CaseCheck
{
    public static TimeSpan TimeLimit { get; set; } = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan TimePerMegabyte = TimeSpan.FromSeconds(2);
    public const long AllocationBase = 32L << 20;
    public const long AllocationPerInputByte = 64;

    public static CaseOutcome Run(FuzzTarget target, byte[] bytes, string name, bool splitOnVmlinux, bool load, string pinRoot)
    {
        int fdsBefore = OpenFdCount();
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        bool accepted = false;
        int errno = 0;
        Violation? violation = null;
        try
        {
            Targets.Run(target, bytes, name, splitOnVmlinux, load, pinRoot);
            accepted = true;
        }
        catch (BpfException e)
        {
            errno = e.Error;
        }
        catch (Exception e)
        {
            var frame = new StackTrace(e).GetFrames().FirstOrDefault(f => f.GetMethod()?.DeclaringType?.Namespace?.StartsWith("BpfLoader", StringComparison.Ordinal) == true);
            string where = frame?.GetMethod() is { } m ? $"{m.DeclaringType?.Name}.{m.Name}" : "?";
            violation = new Violation("exception", $"{e.GetType().Name} in {where}: {e.Message}") { Signature = $"exception {e.GetType().Name} {where}" };
        }
        clock.Stop();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        var limit = TimeLimit + TimePerMegabyte * (bytes.Length / (double)(1 << 20));
        long allocationLimit = AllocationBase + AllocationPerInputByte * bytes.Length;
        if (violation is null && allocated > allocationLimit)
            violation = new Violation("allocation", $"{allocated} bytes allocated for a {bytes.Length}-byte input (limit {allocationLimit})");
        if (violation is null && clock.Elapsed > limit)
            violation = new Violation("slow", $"{clock.Elapsed.TotalMilliseconds:F0} ms (limit {limit.TotalMilliseconds:F0} ms)");
        if (violation is null && OpenFdCount() > fdsBefore && NewlyOpenFds() is { Count: > 0 } leaked)
            violation = new Violation("fd-leak", $"left open: {string.Join(", ", leaked)}");
        return new CaseOutcome(accepted, errno, violation);
    }

    public static int OpenFdCount() => Directory.GetFileSystemEntries("/proc/self/fd").Length;

    // The fds seen the last time the count grew: a case that raises the count is compared with it by target.
    private static HashSet<string> _known = OpenFds();

    private static List<string> NewlyOpenFds()
    {
        var now = OpenFds();
        var added = now.Except(_known).ToList();
        _known = now;
        return added;
    }

    /// <summary>Open fds as "fd -> target" (the target names what leaked: anon_inode:bpf-map, memfd:..., a file).</summary>
    public static HashSet<string> OpenFds()
    {
        var result = new HashSet<string>();
        foreach (var path in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            string? target = null;
            try
            {
                target = new FileInfo(path).LinkTarget;
            }
            catch (IOException)
            {
            }
            // The runtime maps assemblies as it first needs them, and the listing itself is an open directory.
            if (target is null || target.EndsWith(".dll", StringComparison.Ordinal) || target.EndsWith(".so", StringComparison.Ordinal)
                || target.EndsWith("/fd", StringComparison.Ordinal))
                continue;
            result.Add($"{Path.GetFileName(path)} -> {target}");
        }
        return result;
    }
}
