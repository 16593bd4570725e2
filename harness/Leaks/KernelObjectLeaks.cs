using BpfLoader.Interop;
using BpfLoader.Kernel;

namespace BpfHarness.Leaks;

/// <summary>A kernel object a test created that outlived it with no fd of this process: what keeps it alive is <see cref="HeldBy"/>.</summary>
public sealed record LeakedKernelObject(KernelObject Object, string HeldBy)
{
    /// <summary><c>map 'counts' (id 42) pinned at /sys/fs/bpf/x/counts</c>.</summary>
    public string Description => $"{Object} {HeldBy}";
}

/// <summary>
/// The second half of the leak check: kernel objects kept alive without an fd. While a test runs, a recording
/// <see cref="BpfFaultPlan"/> (nothing injected) notes the id of every map, program, link and BTF object the
/// loader creates in the test's async flow; afterwards those the kernel still lists, that no fd of this process
/// refers to, and that a pin in a bpf file system or a struct_ops registration keeps alive, are reported. Objects
/// alive only because another object uses them are not reported: their holder is (or was) its own report.
/// </summary>
public sealed class KernelObjectLeaks : IDisposable
{
    private const uint StructOpsMapType = 26; // BPF_MAP_TYPE_STRUCT_OPS
    private readonly BpfFaultPlan _plan = new() { RecordCalls = false };
    private readonly IDisposable _scope;

    private KernelObjectLeaks() => _scope = BpfFaultInjection.Install(_plan);

    /// <summary>Starts recording for the current async flow (the test about to run).</summary>
    public static KernelObjectLeaks Track() => new();

    /// <summary>Stops recording; idempotent.</summary>
    public void Dispose() => _scope.Dispose();

    /// <summary>The objects created since <see cref="Track"/> that are still alive without an fd, each with what holds it.</summary>
    public IReadOnlyList<LeakedKernelObject> Find(TimeSpan? settle = null)
    {
        Dispose();
        var created = _plan.Created.Select(c => (c.Kind, c.Id)).ToList();
        if (created.Count == 0)
            return [];
        var held = IdsHeldByFds();
        var candidates = KernelObjects.StillAlive(created.Where(c => !held.Contains(c)), settle ?? TimeSpan.FromMilliseconds(500));
        if (candidates.Count == 0)
            return [];
        var pins = BpffsPins.Find(candidates.Select(c => (c.Kind, c.Id)).ToHashSet());
        var leaks = new List<LeakedKernelObject>();
        foreach (var obj in candidates)
        {
            if (pins.TryGetValue((obj.Kind, obj.Id), out var path))
                leaks.Add(new LeakedKernelObject(obj, $"pinned at {path}"));
            else if (obj.Kind == "map" && KernelObjects.MapType(obj.Id) == StructOpsMapType)
                leaks.Add(new LeakedKernelObject(obj, "registered as struct_ops"));
        }
        return leaks;
    }

    // The ids of the BPF objects this process has fds for (fdinfo's map_id, prog_id, link_id, btf_id).
    private static HashSet<(string Kind, uint Id)> IdsHeldByFds()
    {
        var held = new HashSet<(string, uint)>();
        foreach (var entry in Directory.EnumerateFileSystemEntries("/proc/self/fdinfo"))
        {
            if (!int.TryParse(Path.GetFileName(entry), out int fd))
                continue;
            var info = FdTable.ReadFdInfo(fd);
            foreach (var (key, kind) in new[] { ("map_id", "map"), ("prog_id", "prog"), ("link_id", "link"), ("btf_id", "btf") })
                if (info.TryGetValue(key, out var v) && uint.TryParse(v, out uint id))
                    held.Add((kind, id));
        }
        return held;
    }
}

/// <summary>Where objects are pinned: a walk of the mounted bpf file systems, opening each pin (BPF_OBJ_GET) to read its id.</summary>
internal static class BpffsPins
{
    private const int MaxEntries = 20000; // a bound on the walk: bpffs on a test machine holds far fewer

    /// <summary>The pin path of each of <paramref name="wanted"/> that is pinned somewhere.</summary>
    public static Dictionary<(string Kind, uint Id), string> Find(HashSet<(string Kind, uint Id)> wanted)
    {
        var found = new Dictionary<(string, uint), string>();
        int seen = 0;
        foreach (var mount in BpffsMounts())
        {
            foreach (var path in Walk(mount))
            {
                if (++seen > MaxEntries || found.Count == wanted.Count)
                    return found;
                if (Identify(path) is { } key && wanted.Contains(key))
                    found.TryAdd(key, path);
            }
        }
        return found;
    }

    private static IEnumerable<string> BpffsMounts()
    {
        foreach (var line in File.ReadLines("/proc/self/mounts"))
        {
            var parts = line.Split(' ');
            if (parts.Length > 2 && parts[2] == "bpf")
                yield return parts[1];
        }
    }

    private static IEnumerable<string> Walk(string root)
    {
        var pending = new Stack<string>([root]);
        while (pending.Count > 0)
        {
            string dir = pending.Pop();
            string[] entries;
            try
            {
                entries = Directory.GetFileSystemEntries(dir);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }
            foreach (var entry in entries)
            {
                if (Directory.Exists(entry))
                    pending.Push(entry);
                else
                    yield return entry;
            }
        }
    }

    private static (string Kind, uint Id)? Identify(string path)
    {
        int fd = BpfSyscall.TryObjGet(path);
        if (fd < 0)
            return null;
        try
        {
            var target = FdTable.ReadLink(fd);
            var info = FdTable.ReadFdInfo(fd);
            return (target is null ? null : FdTable.Classify(target)) switch
            {
                "map" when uint.TryParse(info.GetValueOrDefault("map_id"), out uint id) => ("map", id),
                "prog" when uint.TryParse(info.GetValueOrDefault("prog_id"), out uint id) => ("prog", id),
                "link" when uint.TryParse(info.GetValueOrDefault("link_id"), out uint id) => ("link", id),
                _ => null,
            };
        }
        finally
        {
            Native.Close(fd);
        }
    }
}
