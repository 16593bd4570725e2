namespace BpfLoader.Interop;

/// <summary>One bpf(2) command as the plan saw it: the command number, what it returned, and whether the plan made it fail.</summary>
internal readonly record struct BpfCall(int Command, long Result, bool Injected);

/// <summary>A kernel object a bpf(2) command created while the plan was installed: its kind (map, prog, btf, link) and kernel id.</summary>
internal readonly record struct BpfCreatedObject(string Kind, uint Id, int Command);

/// <summary>
/// What <see cref="BpfFaultInjection"/> does to the bpf(2) commands of one async flow. Commands are numbered
/// from 1 in the order they are issued (only those of <see cref="Only"/> when it is set). Command
/// <see cref="FailAt"/> and the <see cref="Times"/> - 1 counted commands after it fail with <see cref="Errno"/>
/// without entering the kernel. With <see cref="AndRetries"/>, every command issued straight after an
/// injected one with the same command number (the caller retrying the step: a load retried with a log, a map
/// retried without BTF, EAGAIN retries) fails too: the kernel keeps refusing that step.
/// <see cref="FailAt"/> = 0 only counts. Thread-safe: a flow may issue commands from several threads.
/// </summary>
internal sealed class BpfFaultPlan
{
    private readonly object _lock = new();
    private readonly List<BpfCall> _calls = [];
    private readonly List<BpfCreatedObject> _created = [];
    private int _counted;
    private int _stickyCommand = -1;

    public int FailAt { get; init; }
    public int Errno { get; init; }
    public int Times { get; init; } = 1;
    public bool AndRetries { get; init; }
    public int? Only { get; init; }

    /// <summary>Keep every command in <see cref="Calls"/> (false: only created objects are kept, for long-lived plans).</summary>
    public bool RecordCalls { get; init; } = true;

    /// <summary>Counts and records, injects nothing.</summary>
    public static BpfFaultPlan Counting() => new();

    /// <summary>The <paramref name="n"/>-th command (and its retries when <paramref name="andRetries"/>) fails with <paramref name="errno"/>.</summary>
    public static BpfFaultPlan FailNth(int n, int errno, bool andRetries = false) => new() { FailAt = n, Errno = errno, AndRetries = andRetries };

    /// <summary>Every command seen, in order.</summary>
    public IReadOnlyList<BpfCall> Calls { get { lock (_lock) return [.. _calls]; } }

    /// <summary>The kernel objects created by the commands seen (kind and id, read right after creation).</summary>
    public IReadOnlyList<BpfCreatedObject> Created { get { lock (_lock) return [.. _created]; } }

    /// <summary>How many commands the plan made fail.</summary>
    public int Injected { get { lock (_lock) return _calls.Count(c => c.Injected); } }

    /// <summary>The commands counted toward <see cref="FailAt"/> so far.</summary>
    public int Counted { get { lock (_lock) return _counted; } }

    internal long? Before(int command)
    {
        lock (_lock)
        {
            if (_stickyCommand >= 0)
            {
                if (command == _stickyCommand)
                    return Fail(command);
                _stickyCommand = -1;
            }
            if (Only is { } only && command != only)
                return null;
            int number = ++_counted;
            if (FailAt <= 0 || number < FailAt || number >= FailAt + Times)
                return null;
            if (AndRetries)
                _stickyCommand = command;
            return Fail(command);
        }
    }

    private long Fail(int command)
    {
        _calls.Add(new BpfCall(command, -Errno, Injected: true));
        return -Errno;
    }

    internal void After(int command, long result)
    {
        var created = result >= 0 ? CreatedObject(command, (int)result) : null;
        lock (_lock)
        {
            if (RecordCalls)
                _calls.Add(new BpfCall(command, result, Injected: false));
            if (created is { } c)
                _created.Add(c);
        }
    }

    // BPF_MAP_CREATE 0, BPF_PROG_LOAD 5, BPF_RAW_TRACEPOINT_OPEN 17 (a link), BPF_BTF_LOAD 18, BPF_LINK_CREATE 28.
    private static BpfCreatedObject? CreatedObject(int command, int fd) => command switch
    {
        0 => Identify("map", fd, idOffset: 4, command),
        5 => Identify("prog", fd, idOffset: 4, command),
        17 or 28 => Identify("link", fd, idOffset: 4, command),
        18 => Identify("btf", fd, idOffset: 12, command),
        _ => null,
    };

    // BPF_OBJ_GET_INFO_BY_FD straight through syscall(2), so the plan does not see its own query.
    private static unsafe BpfCreatedObject? Identify(string kind, int fd, int idOffset, int command)
    {
        byte* info = stackalloc byte[32];
        new Span<byte>(info, 32).Clear();
        ulong* attr = stackalloc ulong[2];
        attr[0] = (uint)fd | (32UL << 32); // bpf_fd, info_len
        attr[1] = (ulong)info;
        long r = Native.Syscall(Native.SysBpf, 15 /* BPF_OBJ_GET_INFO_BY_FD */, (long)attr, 16);
        return r < 0 ? null : new BpfCreatedObject(kind, *(uint*)(info + idOffset), command);
    }
}
