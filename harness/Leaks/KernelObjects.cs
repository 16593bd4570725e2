using BpfLoader.Interop;
using BpfLoader.Kernel;

namespace BpfHarness.Leaks;

/// <summary>One BPF object the kernel still holds: its kind (map, prog, link, btf), id and, for maps and programs, name.</summary>
public sealed record KernelObject(string Kind, uint Id, string? Name)
{
    public override string ToString() => string.IsNullOrEmpty(Name) ? $"{Kind} (id {Id})" : $"{Kind} '{Name}' (id {Id})";
}

/// <summary>
/// The kernel's own list of BPF objects, through its id enumeration (BPF_*_GET_NEXT_ID), not through this
/// process' fds: an object kept alive by another object, a pin or a registration has no fd here but is
/// still listed. Which objects are "ours" is decided by the caller, from ids it recorded when the objects
/// were created (<see cref="BpfFaultPlan.Created"/>): the machine is shared, and a before/after
/// difference would also catch other processes' objects.
/// </summary>
public static class KernelObjects
{
    private static BpfCommand NextIdCommand(string kind) => kind switch
    {
        "map" => BpfCommand.MapGetNextId,
        "prog" => BpfCommand.ProgGetNextId,
        "link" => BpfCommand.LinkGetNextId,
        "btf" => BpfCommand.BtfGetNextId,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "map, prog, link or btf"),
    };

    private static BpfCommand FdByIdCommand(string kind) => kind switch
    {
        "map" => BpfCommand.MapGetFdById,
        "prog" => BpfCommand.ProgGetFdById,
        "link" => BpfCommand.LinkGetFdById,
        _ => BpfCommand.BtfGetFdById,
    };

    /// <summary>Every id of <paramref name="kind"/> the kernel lists now.</summary>
    public static HashSet<uint> Ids(string kind)
    {
        var ids = new HashSet<uint>();
        uint id = 0;
        while (BpfSyscall.TryGetNextId(NextIdCommand(kind), id, out uint next) == 0)
        {
            ids.Add(next);
            id = next;
        }
        return ids;
    }

    /// <summary>
    /// Those of <paramref name="objects"/> the kernel still lists, described by GET_FD_BY_ID + OBJ_GET_INFO.
    /// Objects are freed after an RCU grace period (a program releases its maps, a map its programs, a link
    /// is put from a work queue), so the answer is taken once it stops shrinking, up to <paramref name="settle"/>.
    /// </summary>
    public static IReadOnlyList<KernelObject> StillAlive(IEnumerable<(string Kind, uint Id)> objects, TimeSpan? settle = null)
    {
        var wanted = objects.Distinct().ToList();
        var deadline = DateTime.UtcNow + (settle ?? TimeSpan.FromSeconds(3));
        List<(string Kind, uint Id)> alive;
        while (true)
        {
            var byKind = wanted.Select(o => o.Kind).Distinct().ToDictionary(k => k, Ids);
            alive = wanted.Where(o => byKind[o.Kind].Contains(o.Id)).ToList();
            if (alive.Count == 0 || DateTime.UtcNow >= deadline)
                break;
            Native.MembarrierShared(); // one synchronize_rcu(), then look again
            Thread.Sleep(20);
        }
        return alive.Select(o => Describe(o.Kind, o.Id)).ToList();
    }

    /// <summary>The bpf_map_type of map <paramref name="id"/>, or null when it is gone.</summary>
    public static uint? MapType(uint id)
    {
        int fd = BpfSyscall.TryGetFdById(BpfCommand.MapGetFdById, id);
        if (fd < 0)
            return null;
        try
        {
            Span<byte> info = stackalloc byte[8];
            return BpfSyscall.TryGetInfoByFd(fd, info) < 0 ? null : BitConverter.ToUInt32(info);
        }
        finally
        {
            Native.Close(fd);
        }
    }

    /// <summary>The object with <paramref name="id"/>, named when it is a map or a program.</summary>
    public static KernelObject Describe(string kind, uint id)
    {
        int fd = BpfSyscall.TryGetFdById(FdByIdCommand(kind), id);
        if (fd < 0)
            return new KernelObject(kind, id, null);
        try
        {
            return new KernelObject(kind, id, kind switch
            {
                "map" => BpfInfo.MapName(fd),
                "prog" => BpfInfo.ProgName(fd),
                _ => null,
            });
        }
        finally
        {
            Native.Close(fd);
        }
    }
}
