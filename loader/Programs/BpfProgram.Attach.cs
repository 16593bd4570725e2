using BpfLoader.Diagnostics;
using BpfLoader.Interop;
using BpfLoader.Kernel;
using BpfLoader.Links;

namespace BpfLoader.Programs;

// Attaching a loaded program. Each method prints libbpf's WARN text on failure and throws.
public sealed partial class BpfProgram
{
    /// <summary>Attaches the way the program's section says (libbpf's auto-attach), e.g. <c>raw_tp/sys_enter</c>.</summary>
    public BpfLink Attach()
    {
        var kind = Definition?.AutoAttach ?? AutoAttachKind.None;
        switch (kind)
        {
            case AutoAttachKind.RawTracepoint:
                return AttachRawTracepoint(RequireTarget("raw tracepoint"));
            case AutoAttachKind.Tracepoint:
            {
                var target = RequireTarget("tracepoint");
                int slash = target.IndexOf('/');
                if (slash <= 0)
                    throw LibbpfError.Log($"prog '{Name}': invalid section name '{SectionName}'", Errno.EINVAL);
                return AttachTracepoint(target[..slash], target[(slash + 1)..]);
            }
            case AutoAttachKind.Kprobe:
            case AutoAttachKind.Kretprobe:
            {
                var target = RequireTarget("kprobe");
                ulong offset = 0;
                int plus = target.IndexOf('+');
                if (plus > 0)
                {
                    offset = Convert.ToUInt64(target[(plus + 1)..], target[(plus + 1)..].StartsWith("0x", StringComparison.Ordinal) ? 16 : 10);
                    target = target[..plus];
                }
                return AttachKprobe(target, kind == AutoAttachKind.Kretprobe, offset);
            }
            case AutoAttachKind.Trace:
            case AutoAttachKind.Lsm:
                return AttachTrace();
            default:
                throw LibbpfError.Log($"prog '{Name}': auto-attach is not supported for SEC(\"{SectionName}\")", Errno.EOPNOTSUPP);
        }
    }

    /// <summary>Attaches to raw tracepoint <paramref name="tracepoint"/> (<c>raw_tp/NAME</c>).</summary>
    public BpfLink AttachRawTracepoint(string tracepoint)
    {
        int fd = BpfSyscall.TryRawTracepointOpen(tracepoint, RequireFd().Value);
        if (fd < 0)
            throw LibbpfError.Log($"prog '{Name}': failed to attach to raw tracepoint '{tracepoint}': {Errno.Str(fd)}", -fd);
        return new BpfLink(new FileDescriptor(fd), $"raw_tp '{tracepoint}' <- prog '{Name}'");
    }

    /// <summary>fentry/fexit/fmod_ret/tp_btf/lsm: a BPF link to the BTF target resolved at load.</summary>
    public BpfLink AttachTrace()
    {
        var attr = new LinkCreateAttr { ProgOrMapFd = (uint)RequireFd().Value, AttachType = (uint)ExpectedAttachType };
        int fd = BpfSyscall.TryLinkCreate(ref attr);
        if (fd == -Errno.EINVAL && Type == BpfProgType.Tracing)
            fd = BpfSyscall.TryRawTracepointOpen(null, RequireFd().Value); // kernels without tracing links
        if (fd < 0)
            throw LibbpfError.Log($"prog '{Name}': failed to attach: {Errno.Str(fd)}", -fd);
        return new BpfLink(new FileDescriptor(fd), $"{ExpectedAttachType} '{AttachTarget}' <- prog '{Name}'");
    }

    /// <summary>Attaches to tracepoint <paramref name="category"/>/<paramref name="name"/> through a perf event.</summary>
    public BpfLink AttachTracepoint(string category, string name)
    {
        int pfd = PerfEvent.TryOpenTracepoint(category, name, out var error);
        if (pfd < 0)
        {
            if (error.Length > 0)
                LibbpfLog.Warn($"tracepoint '{category}/{name}': {error}");
            throw LibbpfError.Log($"prog '{Name}': failed to create tracepoint '{category}/{name}' perf event: {Errno.Str(pfd)}", -pfd);
        }
        return AttachPerfEvent(new FileDescriptor(pfd), $"tracepoint '{category}/{name}' <- prog '{Name}'");
    }

    /// <summary>Attaches to kernel function <paramref name="function"/> (a kretprobe with <paramref name="retprobe"/>) at <paramref name="offset"/>.</summary>
    public BpfLink AttachKprobe(string function, bool retprobe = false, ulong offset = 0)
    {
        int pfd = PerfEvent.TryOpenKprobe(function, offset, retprobe, out var error);
        string kind = retprobe ? "kretprobe" : "kprobe";
        if (pfd < 0)
        {
            if (error.Length > 0)
                LibbpfLog.Warn(error);
            throw LibbpfError.Log($"prog '{Name}': failed to create {kind} '{function}+0x{offset:x}' perf event: {Errno.Str(pfd)}", -pfd);
        }
        return AttachPerfEvent(new FileDescriptor(pfd), $"{kind} '{function}' <- prog '{Name}'");
    }

    /// <summary>Attaches to an open perf event: a BPF perf link where the kernel has one, else PERF_EVENT_IOC_SET_BPF.</summary>
    public BpfLink AttachPerfEvent(FileDescriptor perfEvent, string description)
    {
        int progFd = RequireFd().Value;
        var attr = new LinkCreateAttr { ProgOrMapFd = (uint)progFd, TargetFd = (uint)perfEvent.Value, AttachType = (uint)BpfAttachType.PerfEvent };
        int linkFd = BpfSyscall.TryLinkCreate(ref attr);
        BpfLink link;
        if (linkFd >= 0)
        {
            link = new BpfLink(new FileDescriptor(linkFd), description, isKernelLink: true, perfEventFd: perfEvent);
        }
        else
        {
            if (Native.Ioctl(perfEvent.Value, PerfEvent.IocSetBpf, progFd) < 0)
            {
                int errno = Native.LastErrno;
                perfEvent.Dispose();
                throw LibbpfError.Log($"prog '{Name}': failed to attach to perf_event FD {perfEvent.Value}: {Errno.Str(errno)}", errno);
            }
            link = new BpfLink(perfEvent, description, isKernelLink: false);
        }
        if (Native.Ioctl(perfEvent.Value, PerfEvent.IocEnable, 0) < 0)
        {
            int errno = Native.LastErrno;
            link.Dispose();
            throw LibbpfError.Log($"prog '{Name}': failed to enable perf_event FD {perfEvent.Value}: {Errno.Str(errno)}", errno);
        }
        return link;
    }

    /// <summary>BPF_LINK_CREATE against a target fd or ifindex (XDP, tcx, cgroup, netns ...).</summary>
    public BpfLink AttachLink(int targetFdOrIfindex, BpfAttachType attachType, string description)
    {
        var attr = new LinkCreateAttr { ProgOrMapFd = (uint)RequireFd().Value, TargetFd = (uint)targetFdOrIfindex, AttachType = (uint)attachType };
        int fd = BpfSyscall.TryLinkCreate(ref attr);
        if (fd < 0)
            throw LibbpfError.Log($"prog '{Name}': failed to attach to {description}: {Errno.Str(fd)}", -fd);
        return new BpfLink(new FileDescriptor(fd), $"{description} <- prog '{Name}'");
    }

    /// <summary>BPF_PROG_TEST_RUN: runs the program on <paramref name="data"/> (and optional context) in the kernel.</summary>
    public TestRunResult TestRun(ReadOnlySpan<byte> data = default, ReadOnlySpan<byte> context = default, uint repeat = 1, int dataOutSize = -1)
    {
        var output = new byte[dataOutSize >= 0 ? dataOutSize : data.Length + 256];
        int r = BpfSyscall.TryProgTestRun(RequireFd().Value, data, output, context, repeat, out var retval, out var duration, out var outSize);
        if (r < 0)
            throw new BpfSyscallException($"prog '{Name}': test run", -r);
        return new TestRunResult(retval, duration, output.AsSpan(0, (int)Math.Min(outSize, (uint)output.Length)).ToArray());
    }

    private string RequireTarget(string what)
        => AttachTarget ?? throw LibbpfError.Log($"prog '{Name}': SEC(\"{SectionName}\") does not name a {what} to attach to", Errno.EINVAL);}

/// <summary>Result of BPF_PROG_TEST_RUN.</summary>
public sealed record TestRunResult(uint ReturnValue, uint DurationNs, byte[] DataOut);
