using BpfLoader.Kernel;

namespace BpfLoader.ArgCtx;

/// <summary>
/// libbpf's <c>global_ctx_map</c>: the name of the context struct the verifier expects behind a program type's
/// context pointer. Program types without an entry (TRACING, LSM, STRUCT_OPS, SYSCALL, TRACEPOINT, EXT, ...)
/// have no named context struct, so the arg:ctx fallback cannot express a context argument for them.
/// </summary>
internal static class ProgramContextTypes
{
    private static readonly Dictionary<BpfProgType, string> Map = new()
    {
        [BpfProgType.CgroupDevice] = "bpf_cgroup_dev_ctx",
        [BpfProgType.CgroupSkb] = "__sk_buff",
        [BpfProgType.CgroupSock] = "bpf_sock",
        [BpfProgType.CgroupSockAddr] = "bpf_sock_addr",
        [BpfProgType.CgroupSockopt] = "bpf_sockopt",
        [BpfProgType.CgroupSysctl] = "bpf_sysctl",
        [BpfProgType.FlowDissector] = "__sk_buff",
        [BpfProgType.Kprobe] = "bpf_user_pt_regs_t",
        [BpfProgType.LwtIn] = "__sk_buff",
        [BpfProgType.LwtOut] = "__sk_buff",
        [BpfProgType.LwtSeg6local] = "__sk_buff",
        [BpfProgType.LwtXmit] = "__sk_buff",
        [BpfProgType.Netfilter] = "bpf_nf_ctx",
        [BpfProgType.PerfEvent] = "bpf_perf_event_data",
        [BpfProgType.RawTracepoint] = "bpf_raw_tracepoint_args",
        [BpfProgType.RawTracepointWritable] = "bpf_raw_tracepoint_args",
        [BpfProgType.SchedAct] = "__sk_buff",
        [BpfProgType.SchedCls] = "__sk_buff",
        [BpfProgType.SkLookup] = "bpf_sk_lookup",
        [BpfProgType.SkMsg] = "sk_msg_md",
        [BpfProgType.SkReuseport] = "sk_reuseport_md",
        [BpfProgType.SkSkb] = "__sk_buff",
        [BpfProgType.SockOps] = "bpf_sock_ops",
        [BpfProgType.SocketFilter] = "__sk_buff",
        [BpfProgType.Xdp] = "xdp_md",
    };

    /// <summary>The context struct name for <paramref name="type"/>, or null when libbpf does no rewrite for it.</summary>
    public static string? StructName(BpfProgType type) => Map.GetValueOrDefault(type);

    /// <summary>Every program type that gets the rewrite, with its context struct (for reports and tests).</summary>
    public static IReadOnlyDictionary<BpfProgType, string> All => Map;

    /// <summary>
    /// The struct behind the kernel's <c>bpf_user_pt_regs_t</c> typedef on the architecture we run on (libbpf
    /// compares against its own build's typedef): perf_event accepts a pointer to it as the context too.
    /// </summary>
    public static string UserPtRegsStruct => System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture switch
    {
        System.Runtime.InteropServices.Architecture.Arm64 => "user_pt_regs",
        System.Runtime.InteropServices.Architecture.S390x => "user_regs_struct",
        _ => "pt_regs",
    };
}
