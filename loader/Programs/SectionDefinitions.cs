using BpfLoader.Kernel;

namespace BpfLoader.Programs;

/// <summary>How a program of a section attaches when asked to attach itself (libbpf's auto-attach).</summary>
public enum AutoAttachKind
{
    None,
    Kprobe,
    Kretprobe,
    Tracepoint,
    RawTracepoint,
    Trace,
    Lsm,
    Iter,
    Uprobe,
    KprobeMulti,
    Ksyscall,
    Usdt,
}

[Flags]
internal enum SectionFlags
{
    None = 0,
    /// <summary>The attach type is needed at load time (libbpf SEC_ATTACHABLE).</summary>
    Attachable = 1,
    /// <summary>The expected attach type is optional at load time (SEC_ATTACHABLE_OPT).</summary>
    AttachableOptional = 2,
    /// <summary>The section names a kernel BTF function or type to attach to (SEC_ATTACH_BTF).</summary>
    AttachBtf = 4,
    /// <summary>Loaded with BPF_F_SLEEPABLE.</summary>
    Sleepable = 8,
    /// <summary>Loaded with BPF_F_XDP_HAS_FRAGS.</summary>
    XdpFrags = 16,
    Usdt = 32,
}

/// <summary>One entry of libbpf's SEC() table.</summary>
/// <param name="Pattern">Section pattern: <c>name</c> matches exactly; <c>name+</c> matches <c>name</c> or <c>name/...</c>;
/// <c>name/</c> needs <c>name/...</c>.</param>
internal sealed record SectionDefinition(
    string Pattern,
    BpfProgType ProgramType,
    BpfAttachType ExpectedAttachType,
    SectionFlags Flags,
    AutoAttachKind AutoAttach = AutoAttachKind.None)
{
    public bool IsSleepable => (Flags & SectionFlags.Sleepable) != 0;

    /// <summary>libbpf's <c>sec_def_matches</c>.</summary>
    public bool Matches(string sectionName)
    {
        if (Pattern.EndsWith('/'))
            return sectionName.StartsWith(Pattern, StringComparison.Ordinal);
        if (Pattern.EndsWith('+'))
        {
            var stem = Pattern.AsSpan(0, Pattern.Length - 1);
            if (!sectionName.AsSpan().StartsWith(stem, StringComparison.Ordinal))
                return false;
            return sectionName.Length == stem.Length || sectionName[stem.Length] == '/';
        }
        return sectionName == Pattern;
    }

    /// <summary>The part after <c>type/</c>, e.g. <c>sys_enter</c> for <c>raw_tp/sys_enter</c>; null when absent.</summary>
    public string? AttachTarget(string sectionName)
    {
        int slash = sectionName.IndexOf('/');
        if (slash < 0 || !(Pattern.EndsWith('+') || Pattern.EndsWith('/')))
            return null;
        return sectionName[(slash + 1)..];
    }
}

/// <summary>libbpf 1.7's SEC() definitions, in libbpf's order (the first match wins).</summary>
internal static class SectionDefinitions
{
    private const SectionFlags A = SectionFlags.Attachable, AO = SectionFlags.AttachableOptional,
        Btf = SectionFlags.AttachBtf, S = SectionFlags.Sleepable, F = SectionFlags.XdpFrags, N = SectionFlags.None;

    private static SectionDefinition D(string p, BpfProgType t, BpfAttachType a, SectionFlags f, AutoAttachKind k = AutoAttachKind.None) => new(p, t, a, f, k);

    public static IReadOnlyList<SectionDefinition> All { get; } =
    [
        D("socket", BpfProgType.SocketFilter, 0, N),
        D("sk_reuseport/migrate", BpfProgType.SkReuseport, BpfAttachType.SkReuseportSelectOrMigrate, A),
        D("sk_reuseport", BpfProgType.SkReuseport, BpfAttachType.SkReuseportSelect, A),
        D("kprobe+", BpfProgType.Kprobe, 0, N, AutoAttachKind.Kprobe),
        D("uprobe+", BpfProgType.Kprobe, 0, N, AutoAttachKind.Uprobe),
        D("uprobe.s+", BpfProgType.Kprobe, 0, S, AutoAttachKind.Uprobe),
        D("kretprobe+", BpfProgType.Kprobe, 0, N, AutoAttachKind.Kretprobe),
        D("uretprobe+", BpfProgType.Kprobe, 0, N, AutoAttachKind.Uprobe),
        D("uretprobe.s+", BpfProgType.Kprobe, 0, S, AutoAttachKind.Uprobe),
        D("kprobe.multi+", BpfProgType.Kprobe, BpfAttachType.TraceKprobeMulti, N, AutoAttachKind.KprobeMulti),
        D("kretprobe.multi+", BpfProgType.Kprobe, BpfAttachType.TraceKprobeMulti, N, AutoAttachKind.KprobeMulti),
        D("kprobe.session+", BpfProgType.Kprobe, BpfAttachType.TraceKprobeSession, N, AutoAttachKind.KprobeMulti),
        D("uprobe.multi+", BpfProgType.Kprobe, BpfAttachType.TraceUprobeMulti, N, AutoAttachKind.Uprobe),
        D("uretprobe.multi+", BpfProgType.Kprobe, BpfAttachType.TraceUprobeMulti, N, AutoAttachKind.Uprobe),
        D("uprobe.multi.s+", BpfProgType.Kprobe, BpfAttachType.TraceUprobeMulti, S, AutoAttachKind.Uprobe),
        D("uretprobe.multi.s+", BpfProgType.Kprobe, BpfAttachType.TraceUprobeMulti, S, AutoAttachKind.Uprobe),
        D("uprobe.session+", BpfProgType.Kprobe, BpfAttachType.TraceUprobeSession, N, AutoAttachKind.Uprobe),
        D("uprobe.session.s+", BpfProgType.Kprobe, BpfAttachType.TraceUprobeSession, S, AutoAttachKind.Uprobe),
        D("ksyscall+", BpfProgType.Kprobe, 0, N, AutoAttachKind.Ksyscall),
        D("kretsyscall+", BpfProgType.Kprobe, 0, N, AutoAttachKind.Ksyscall),
        D("usdt+", BpfProgType.Kprobe, 0, SectionFlags.Usdt, AutoAttachKind.Usdt),
        D("usdt.s+", BpfProgType.Kprobe, 0, SectionFlags.Usdt | S, AutoAttachKind.Usdt),
        D("tc/ingress", BpfProgType.SchedCls, BpfAttachType.TcxIngress, N),
        D("tc/egress", BpfProgType.SchedCls, BpfAttachType.TcxEgress, N),
        D("tcx/ingress", BpfProgType.SchedCls, BpfAttachType.TcxIngress, N),
        D("tcx/egress", BpfProgType.SchedCls, BpfAttachType.TcxEgress, N),
        D("tc", BpfProgType.SchedCls, 0, N),
        D("classifier", BpfProgType.SchedCls, 0, N),
        D("action", BpfProgType.SchedAct, 0, N),
        D("netkit/primary", BpfProgType.SchedCls, BpfAttachType.NetkitPrimary, N),
        D("netkit/peer", BpfProgType.SchedCls, BpfAttachType.NetkitPeer, N),
        D("tracepoint+", BpfProgType.Tracepoint, 0, N, AutoAttachKind.Tracepoint),
        D("tp+", BpfProgType.Tracepoint, 0, N, AutoAttachKind.Tracepoint),
        D("raw_tracepoint+", BpfProgType.RawTracepoint, 0, N, AutoAttachKind.RawTracepoint),
        D("raw_tp+", BpfProgType.RawTracepoint, 0, N, AutoAttachKind.RawTracepoint),
        D("raw_tracepoint.w+", BpfProgType.RawTracepointWritable, 0, N, AutoAttachKind.RawTracepoint),
        D("raw_tp.w+", BpfProgType.RawTracepointWritable, 0, N, AutoAttachKind.RawTracepoint),
        D("tp_btf+", BpfProgType.Tracing, BpfAttachType.TraceRawTp, Btf, AutoAttachKind.Trace),
        D("fentry+", BpfProgType.Tracing, BpfAttachType.TraceFentry, Btf, AutoAttachKind.Trace),
        D("fmod_ret+", BpfProgType.Tracing, BpfAttachType.ModifyReturn, Btf, AutoAttachKind.Trace),
        D("fexit+", BpfProgType.Tracing, BpfAttachType.TraceFexit, Btf, AutoAttachKind.Trace),
        D("fentry.s+", BpfProgType.Tracing, BpfAttachType.TraceFentry, Btf | S, AutoAttachKind.Trace),
        D("fmod_ret.s+", BpfProgType.Tracing, BpfAttachType.ModifyReturn, Btf | S, AutoAttachKind.Trace),
        D("fexit.s+", BpfProgType.Tracing, BpfAttachType.TraceFexit, Btf | S, AutoAttachKind.Trace),
        D("freplace+", BpfProgType.Ext, 0, Btf, AutoAttachKind.Trace),
        D("lsm+", BpfProgType.Lsm, BpfAttachType.LsmMac, Btf, AutoAttachKind.Lsm),
        D("lsm.s+", BpfProgType.Lsm, BpfAttachType.LsmMac, Btf | S, AutoAttachKind.Lsm),
        D("lsm_cgroup+", BpfProgType.Lsm, BpfAttachType.LsmCgroup, Btf),
        D("iter+", BpfProgType.Tracing, BpfAttachType.TraceIter, Btf, AutoAttachKind.Iter),
        D("iter.s+", BpfProgType.Tracing, BpfAttachType.TraceIter, Btf | S, AutoAttachKind.Iter),
        D("syscall", BpfProgType.Syscall, 0, S),
        D("xdp.frags/devmap", BpfProgType.Xdp, BpfAttachType.XdpDevmap, F),
        D("xdp/devmap", BpfProgType.Xdp, BpfAttachType.XdpDevmap, A),
        D("xdp.frags/cpumap", BpfProgType.Xdp, BpfAttachType.XdpCpumap, F),
        D("xdp/cpumap", BpfProgType.Xdp, BpfAttachType.XdpCpumap, A),
        D("xdp.frags", BpfProgType.Xdp, BpfAttachType.Xdp, F),
        D("xdp", BpfProgType.Xdp, BpfAttachType.Xdp, AO),
        D("perf_event", BpfProgType.PerfEvent, 0, N),
        D("lwt_in", BpfProgType.LwtIn, 0, N),
        D("lwt_out", BpfProgType.LwtOut, 0, N),
        D("lwt_xmit", BpfProgType.LwtXmit, 0, N),
        D("lwt_seg6local", BpfProgType.LwtSeg6local, 0, N),
        D("sockops", BpfProgType.SockOps, BpfAttachType.CgroupSockOps, AO),
        D("sk_skb/stream_parser", BpfProgType.SkSkb, BpfAttachType.SkSkbStreamParser, AO),
        D("sk_skb/stream_verdict", BpfProgType.SkSkb, BpfAttachType.SkSkbStreamVerdict, AO),
        D("sk_skb/verdict", BpfProgType.SkSkb, BpfAttachType.SkSkbVerdict, AO),
        D("sk_skb", BpfProgType.SkSkb, 0, N),
        D("sk_msg", BpfProgType.SkMsg, BpfAttachType.SkMsgVerdict, AO),
        D("lirc_mode2", BpfProgType.LircMode2, BpfAttachType.LircMode2, AO),
        D("flow_dissector", BpfProgType.FlowDissector, BpfAttachType.FlowDissector, AO),
        D("cgroup_skb/ingress", BpfProgType.CgroupSkb, BpfAttachType.CgroupInetIngress, AO),
        D("cgroup_skb/egress", BpfProgType.CgroupSkb, BpfAttachType.CgroupInetEgress, AO),
        D("cgroup/skb", BpfProgType.CgroupSkb, 0, N),
        D("cgroup/sock_create", BpfProgType.CgroupSock, BpfAttachType.CgroupInetSockCreate, A),
        D("cgroup/sock_release", BpfProgType.CgroupSock, BpfAttachType.CgroupInetSockRelease, A),
        D("cgroup/sock", BpfProgType.CgroupSock, BpfAttachType.CgroupInetSockCreate, AO),
        D("cgroup/post_bind4", BpfProgType.CgroupSock, BpfAttachType.CgroupInet4PostBind, A),
        D("cgroup/post_bind6", BpfProgType.CgroupSock, BpfAttachType.CgroupInet6PostBind, A),
        D("cgroup/bind4", BpfProgType.CgroupSockAddr, BpfAttachType.CgroupInet4Bind, A),
        D("cgroup/bind6", BpfProgType.CgroupSockAddr, BpfAttachType.CgroupInet6Bind, A),
        D("cgroup/connect4", BpfProgType.CgroupSockAddr, BpfAttachType.CgroupInet4Connect, A),
        D("cgroup/connect6", BpfProgType.CgroupSockAddr, BpfAttachType.CgroupInet6Connect, A),
        D("cgroup/connect_unix", BpfProgType.CgroupSockAddr, BpfAttachType.CgroupUnixConnect, A),
        D("cgroup/sendmsg4", BpfProgType.CgroupSockAddr, BpfAttachType.CgroupUdp4Sendmsg, A),
        D("cgroup/sendmsg6", BpfProgType.CgroupSockAddr, BpfAttachType.CgroupUdp6Sendmsg, A),
        D("cgroup/sendmsg_unix", BpfProgType.CgroupSockAddr, BpfAttachType.CgroupUnixSendmsg, A),
        D("cgroup/recvmsg4", BpfProgType.CgroupSockAddr, BpfAttachType.CgroupUdp4Recvmsg, A),
        D("cgroup/recvmsg6", BpfProgType.CgroupSockAddr, BpfAttachType.CgroupUdp6Recvmsg, A),
        D("cgroup/recvmsg_unix", BpfProgType.CgroupSockAddr, BpfAttachType.CgroupUnixRecvmsg, A),
        D("cgroup/getpeername4", BpfProgType.CgroupSockAddr, BpfAttachType.CgroupInet4Getpeername, A),
        D("cgroup/getpeername6", BpfProgType.CgroupSockAddr, BpfAttachType.CgroupInet6Getpeername, A),
        D("cgroup/getpeername_unix", BpfProgType.CgroupSockAddr, BpfAttachType.CgroupUnixGetpeername, A),
        D("cgroup/getsockname4", BpfProgType.CgroupSockAddr, BpfAttachType.CgroupInet4Getsockname, A),
        D("cgroup/getsockname6", BpfProgType.CgroupSockAddr, BpfAttachType.CgroupInet6Getsockname, A),
        D("cgroup/getsockname_unix", BpfProgType.CgroupSockAddr, BpfAttachType.CgroupUnixGetsockname, A),
        D("cgroup/sysctl", BpfProgType.CgroupSysctl, BpfAttachType.CgroupSysctl, A),
        D("cgroup/getsockopt", BpfProgType.CgroupSockopt, BpfAttachType.CgroupGetsockopt, A),
        D("cgroup/setsockopt", BpfProgType.CgroupSockopt, BpfAttachType.CgroupSetsockopt, A),
        D("cgroup/dev", BpfProgType.CgroupDevice, BpfAttachType.CgroupDevice, AO),
        D("struct_ops+", BpfProgType.StructOps, 0, N),
        D("struct_ops.s+", BpfProgType.StructOps, 0, S),
        D("sk_lookup", BpfProgType.SkLookup, BpfAttachType.SkLookup, A),
        D("netfilter", BpfProgType.Netfilter, BpfAttachType.Netfilter, N),
    ];

    /// <summary>The first definition matching <paramref name="sectionName"/> (without a leading '?'), or null.</summary>
    public static SectionDefinition? Find(string sectionName)
    {
        foreach (var def in All)
        {
            if (def.Matches(sectionName))
                return def;
        }
        return null;
    }
}
