using System.Collections.Concurrent;
using BpfHarness.Leaks;

namespace BpfHarness;

/// <summary>The open fds of the process at one moment: fd number → identity of what it refers to.</summary>
public sealed class FdSnapshot
{
    internal FdSnapshot(Dictionary<int, string> identities) => Identities = identities;
    internal Dictionary<int, string> Identities { get; }
    public IReadOnlyCollection<int> Fds => Identities.Keys;
}

/// <summary>One fd a test left open. <see cref="Description"/> is e.g. <c>map 'counts' (id 42, fd 17)</c>.</summary>
public sealed record LeakedFd(int Fd, string Kind, string Description, bool IsBpfObject);

/// <summary>The leaks found after a test; <see cref="Message"/> is null when there are none.</summary>
public sealed class LeakReport(IReadOnlyList<LeakedFd> leaks, IReadOnlyList<LeakedKernelObject>? kernelObjects = null)
{
    public IReadOnlyList<LeakedFd> Leaks { get; } = leaks;

    /// <summary>Objects the test created that the kernel keeps alive without an fd (a pin, a struct_ops registration).</summary>
    public IReadOnlyList<LeakedKernelObject> KernelObjects { get; } = kernelObjects ?? [];

    public bool IsClean => Leaks.Count == 0 && KernelObjects.Count == 0;

    /// <summary>This report with <paramref name="kernelObjects"/> added.</summary>
    public LeakReport With(IReadOnlyList<LeakedKernelObject> kernelObjects) => new(Leaks, [.. KernelObjects, .. kernelObjects]);

    /// <summary>
    /// <c>leaked BPF objects: map 'counts' (id 42, fd 17), ...; leaked fds: perf_event (fd 21); leaked kernel objects
    /// without an fd: map 'pinned' (id 43) pinned at /sys/fs/bpf/pinned</c>.
    /// </summary>
    public string? Message
    {
        get
        {
            var parts = new List<string>();
            var bpf = Leaks.Where(l => l.IsBpfObject).Select(l => l.Description).ToList();
            var other = Leaks.Where(l => !l.IsBpfObject).Select(l => l.Description).ToList();
            if (bpf.Count > 0)
                parts.Add("leaked BPF objects: " + string.Join(", ", bpf));
            if (other.Count > 0)
                parts.Add("leaked fds: " + string.Join(", ", other));
            if (KernelObjects.Count > 0)
                parts.Add("leaked kernel objects without an fd: " + string.Join(", ", KernelObjects.Select(k => k.Description)));
            return parts.Count == 0 ? null : string.Join("; ", parts);
        }
    }
}

/// <summary>
/// Finds fds a test opened and did not close. Reported: BPF objects (maps, programs, links, BTF,
/// iterators, tokens) and the other kernel objects BPF tests create for attachment (perf_event fds,
/// memfds). Other fds (files, pipes, sockets, epoll, eventfd) are not reported: the .NET runtime and the
/// test host open such fds lazily, so they would be false alarms. Leaked fds are not closed: a SafeHandle
/// may still own the number, and closing it under its feet could close an unrelated reuse later.
/// </summary>
public static class LeakCheck
{
    private static readonly ConcurrentDictionary<int, string> _processWide = new();

    /// <summary>
    /// Declares <paramref name="fd"/> a deliberate process-wide fd (a cached vmlinux BTF fd, a feature
    /// probe result, ...) created lazily during whatever test first needed it. Such fds are never
    /// reported. <paramref name="owner"/> says who keeps it, for the curious reader of <see cref="ProcessWide"/>.
    /// </summary>
    public static void RegisterProcessWide(int fd, string owner) => _processWide[fd] = owner;

    /// <summary>Call before closing a registered fd, so a later reuse of the number is checked again.</summary>
    public static bool UnregisterProcessWide(int fd) => _processWide.TryRemove(fd, out _);

    public static IReadOnlyDictionary<int, string> ProcessWide => _processWide;

    // The loader's own process-wide fds (module BTF objects, probe caches) are always allowed.
    private static readonly List<Func<IEnumerable<int>>> _sources = [() => BpfLoader.Kernel.ProcessWideFds.Snapshot().Keys];

    /// <summary>
    /// Pull-style registration for code that cannot reference the harness (the loader sits below it):
    /// the test assembly's setup passes a function listing the loader's process-wide fds, asked at every
    /// check. Example: <c>LeakCheck.AddProcessWideSource(() => SomeLoaderCache.OpenFds);</c>
    /// </summary>
    public static void AddProcessWideSource(Func<IEnumerable<int>> source)
    {
        lock (_sources)
            _sources.Add(source);
    }

    private static HashSet<int> ProcessWideNow()
    {
        var set = new HashSet<int>(_processWide.Keys);
        lock (_sources)
            foreach (var source in _sources)
                set.UnionWith(source());
        return set;
    }

    /// <summary>Reads /proc/self/fd now.</summary>
    public static FdSnapshot Snapshot()
    {
        var result = new Dictionary<int, string>();
        // List the numbers first, then inspect: the directory's own fd is closed by then and drops out.
        foreach (int fd in ListFds())
        {
            var target = FdTable.ReadLink(fd);
            if (target is not null)
                result[fd] = Identity(fd, target);
        }
        return new FdSnapshot(result);
    }

    /// <summary>The reportable fds open now that were not open (as the same object) in <paramref name="before"/>.</summary>
    public static LeakReport FindLeaks(FdSnapshot before)
    {
        var leaks = new List<LeakedFd>();
        var processWide = ProcessWideNow();
        foreach (int fd in ListFds().Order())
        {
            if (processWide.Contains(fd))
                continue;
            var target = FdTable.ReadLink(fd);
            if (target is null || FdTable.Classify(target) is not { } kind)
                continue;
            if (before.Identities.TryGetValue(fd, out var old) && old == Identity(fd, target))
                continue;
            leaks.Add(FdTable.Describe(fd, target, kind));
        }
        return new LeakReport(leaks);
    }

    private static List<int> ListFds()
    {
        var fds = new List<int>();
        foreach (var entry in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
            if (int.TryParse(Path.GetFileName(entry), out int fd))
                fds.Add(fd);
        return fds;
    }

    // Same fd number and same identity = the same object. BPF anon inodes all share one inode, so their
    // identity includes the object id from fdinfo; other fds use the inode number.
    private static string Identity(int fd, string target)
    {
        if (FdTable.Classify(target) is null)
            return target;
        var info = FdTable.ReadFdInfo(fd);
        string id = info.GetValueOrDefault("map_id") ?? info.GetValueOrDefault("prog_id") ?? info.GetValueOrDefault("link_id")
            ?? info.GetValueOrDefault("btf_id") ?? "";
        return $"{target}|{id}|{info.GetValueOrDefault("ino")}";
    }
}
