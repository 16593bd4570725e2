// Values of the kernel UAPI enums in include/uapi/linux/bpf.h (the numbering is ABI).
namespace BpfLoader.Kernel;

/// <summary><c>enum bpf_prog_type</c>.</summary>
public enum BpfProgType : uint
{
    /// <summary><c>BPF_PROG_TYPE_UNSPEC</c>.</summary>
    Unspec = 0,
    /// <summary><c>BPF_PROG_TYPE_SOCKET_FILTER</c>.</summary>
    SocketFilter = 1,
    /// <summary><c>BPF_PROG_TYPE_KPROBE</c>.</summary>
    Kprobe = 2,
    /// <summary><c>BPF_PROG_TYPE_SCHED_CLS</c>.</summary>
    SchedCls = 3,
    /// <summary><c>BPF_PROG_TYPE_SCHED_ACT</c>.</summary>
    SchedAct = 4,
    /// <summary><c>BPF_PROG_TYPE_TRACEPOINT</c>.</summary>
    Tracepoint = 5,
    /// <summary><c>BPF_PROG_TYPE_XDP</c>.</summary>
    Xdp = 6,
    /// <summary><c>BPF_PROG_TYPE_PERF_EVENT</c>.</summary>
    PerfEvent = 7,
    /// <summary><c>BPF_PROG_TYPE_CGROUP_SKB</c>.</summary>
    CgroupSkb = 8,
    /// <summary><c>BPF_PROG_TYPE_CGROUP_SOCK</c>.</summary>
    CgroupSock = 9,
    /// <summary><c>BPF_PROG_TYPE_LWT_IN</c>.</summary>
    LwtIn = 10,
    /// <summary><c>BPF_PROG_TYPE_LWT_OUT</c>.</summary>
    LwtOut = 11,
    /// <summary><c>BPF_PROG_TYPE_LWT_XMIT</c>.</summary>
    LwtXmit = 12,
    /// <summary><c>BPF_PROG_TYPE_SOCK_OPS</c>.</summary>
    SockOps = 13,
    /// <summary><c>BPF_PROG_TYPE_SK_SKB</c>.</summary>
    SkSkb = 14,
    /// <summary><c>BPF_PROG_TYPE_CGROUP_DEVICE</c>.</summary>
    CgroupDevice = 15,
    /// <summary><c>BPF_PROG_TYPE_SK_MSG</c>.</summary>
    SkMsg = 16,
    /// <summary><c>BPF_PROG_TYPE_RAW_TRACEPOINT</c>.</summary>
    RawTracepoint = 17,
    /// <summary><c>BPF_PROG_TYPE_CGROUP_SOCK_ADDR</c>.</summary>
    CgroupSockAddr = 18,
    /// <summary><c>BPF_PROG_TYPE_LWT_SEG6LOCAL</c>.</summary>
    LwtSeg6local = 19,
    /// <summary><c>BPF_PROG_TYPE_LIRC_MODE2</c>.</summary>
    LircMode2 = 20,
    /// <summary><c>BPF_PROG_TYPE_SK_REUSEPORT</c>.</summary>
    SkReuseport = 21,
    /// <summary><c>BPF_PROG_TYPE_FLOW_DISSECTOR</c>.</summary>
    FlowDissector = 22,
    /// <summary><c>BPF_PROG_TYPE_CGROUP_SYSCTL</c>.</summary>
    CgroupSysctl = 23,
    /// <summary><c>BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE</c>.</summary>
    RawTracepointWritable = 24,
    /// <summary><c>BPF_PROG_TYPE_CGROUP_SOCKOPT</c>.</summary>
    CgroupSockopt = 25,
    /// <summary><c>BPF_PROG_TYPE_TRACING</c>.</summary>
    Tracing = 26,
    /// <summary><c>BPF_PROG_TYPE_STRUCT_OPS</c>.</summary>
    StructOps = 27,
    /// <summary><c>BPF_PROG_TYPE_EXT</c>.</summary>
    Ext = 28,
    /// <summary><c>BPF_PROG_TYPE_LSM</c>.</summary>
    Lsm = 29,
    /// <summary><c>BPF_PROG_TYPE_SK_LOOKUP</c>.</summary>
    SkLookup = 30,
    /// <summary><c>BPF_PROG_TYPE_SYSCALL</c>.</summary>
    Syscall = 31,
    /// <summary><c>BPF_PROG_TYPE_NETFILTER</c>.</summary>
    Netfilter = 32,
}

/// <summary><c>enum bpf_map_type</c>.</summary>
public enum BpfMapType : uint
{
    /// <summary><c>BPF_MAP_TYPE_UNSPEC</c>.</summary>
    Unspec = 0,
    /// <summary><c>BPF_MAP_TYPE_HASH</c>.</summary>
    Hash = 1,
    /// <summary><c>BPF_MAP_TYPE_ARRAY</c>.</summary>
    Array = 2,
    /// <summary><c>BPF_MAP_TYPE_PROG_ARRAY</c>.</summary>
    ProgArray = 3,
    /// <summary><c>BPF_MAP_TYPE_PERF_EVENT_ARRAY</c>.</summary>
    PerfEventArray = 4,
    /// <summary><c>BPF_MAP_TYPE_PERCPU_HASH</c>.</summary>
    PercpuHash = 5,
    /// <summary><c>BPF_MAP_TYPE_PERCPU_ARRAY</c>.</summary>
    PercpuArray = 6,
    /// <summary><c>BPF_MAP_TYPE_STACK_TRACE</c>.</summary>
    StackTrace = 7,
    /// <summary><c>BPF_MAP_TYPE_CGROUP_ARRAY</c>.</summary>
    CgroupArray = 8,
    /// <summary><c>BPF_MAP_TYPE_LRU_HASH</c>.</summary>
    LruHash = 9,
    /// <summary><c>BPF_MAP_TYPE_LRU_PERCPU_HASH</c>.</summary>
    LruPercpuHash = 10,
    /// <summary><c>BPF_MAP_TYPE_LPM_TRIE</c>.</summary>
    LpmTrie = 11,
    /// <summary><c>BPF_MAP_TYPE_ARRAY_OF_MAPS</c>.</summary>
    ArrayOfMaps = 12,
    /// <summary><c>BPF_MAP_TYPE_HASH_OF_MAPS</c>.</summary>
    HashOfMaps = 13,
    /// <summary><c>BPF_MAP_TYPE_DEVMAP</c>.</summary>
    Devmap = 14,
    /// <summary><c>BPF_MAP_TYPE_SOCKMAP</c>.</summary>
    Sockmap = 15,
    /// <summary><c>BPF_MAP_TYPE_CPUMAP</c>.</summary>
    Cpumap = 16,
    /// <summary><c>BPF_MAP_TYPE_XSKMAP</c>.</summary>
    Xskmap = 17,
    /// <summary><c>BPF_MAP_TYPE_SOCKHASH</c>.</summary>
    Sockhash = 18,
    /// <summary><c>BPF_MAP_TYPE_CGROUP_STORAGE</c>.</summary>
    CgroupStorage = 19,
    /// <summary><c>BPF_MAP_TYPE_REUSEPORT_SOCKARRAY</c>.</summary>
    ReuseportSockarray = 20,
    /// <summary><c>BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE</c>.</summary>
    PercpuCgroupStorage = 21,
    /// <summary><c>BPF_MAP_TYPE_QUEUE</c>.</summary>
    Queue = 22,
    /// <summary><c>BPF_MAP_TYPE_STACK</c>.</summary>
    Stack = 23,
    /// <summary><c>BPF_MAP_TYPE_SK_STORAGE</c>.</summary>
    SkStorage = 24,
    /// <summary><c>BPF_MAP_TYPE_DEVMAP_HASH</c>.</summary>
    DevmapHash = 25,
    /// <summary><c>BPF_MAP_TYPE_STRUCT_OPS</c>.</summary>
    StructOps = 26,
    /// <summary><c>BPF_MAP_TYPE_RINGBUF</c>.</summary>
    Ringbuf = 27,
    /// <summary><c>BPF_MAP_TYPE_INODE_STORAGE</c>.</summary>
    InodeStorage = 28,
    /// <summary><c>BPF_MAP_TYPE_TASK_STORAGE</c>.</summary>
    TaskStorage = 29,
    /// <summary><c>BPF_MAP_TYPE_BLOOM_FILTER</c>.</summary>
    BloomFilter = 30,
    /// <summary><c>BPF_MAP_TYPE_USER_RINGBUF</c>.</summary>
    UserRingbuf = 31,
    /// <summary><c>BPF_MAP_TYPE_CGRP_STORAGE</c>.</summary>
    CgrpStorage = 32,
    /// <summary><c>BPF_MAP_TYPE_ARENA</c>.</summary>
    Arena = 33,
}

/// <summary><c>enum bpf_attach_type</c>.</summary>
public enum BpfAttachType : uint
{
    /// <summary><c>BPF_CGROUP_INET_INGRESS</c>.</summary>
    CgroupInetIngress = 0,
    /// <summary><c>BPF_CGROUP_INET_EGRESS</c>.</summary>
    CgroupInetEgress = 1,
    /// <summary><c>BPF_CGROUP_INET_SOCK_CREATE</c>.</summary>
    CgroupInetSockCreate = 2,
    /// <summary><c>BPF_CGROUP_SOCK_OPS</c>.</summary>
    CgroupSockOps = 3,
    /// <summary><c>BPF_SK_SKB_STREAM_PARSER</c>.</summary>
    SkSkbStreamParser = 4,
    /// <summary><c>BPF_SK_SKB_STREAM_VERDICT</c>.</summary>
    SkSkbStreamVerdict = 5,
    /// <summary><c>BPF_CGROUP_DEVICE</c>.</summary>
    CgroupDevice = 6,
    /// <summary><c>BPF_SK_MSG_VERDICT</c>.</summary>
    SkMsgVerdict = 7,
    /// <summary><c>BPF_CGROUP_INET4_BIND</c>.</summary>
    CgroupInet4Bind = 8,
    /// <summary><c>BPF_CGROUP_INET6_BIND</c>.</summary>
    CgroupInet6Bind = 9,
    /// <summary><c>BPF_CGROUP_INET4_CONNECT</c>.</summary>
    CgroupInet4Connect = 10,
    /// <summary><c>BPF_CGROUP_INET6_CONNECT</c>.</summary>
    CgroupInet6Connect = 11,
    /// <summary><c>BPF_CGROUP_INET4_POST_BIND</c>.</summary>
    CgroupInet4PostBind = 12,
    /// <summary><c>BPF_CGROUP_INET6_POST_BIND</c>.</summary>
    CgroupInet6PostBind = 13,
    /// <summary><c>BPF_CGROUP_UDP4_SENDMSG</c>.</summary>
    CgroupUdp4Sendmsg = 14,
    /// <summary><c>BPF_CGROUP_UDP6_SENDMSG</c>.</summary>
    CgroupUdp6Sendmsg = 15,
    /// <summary><c>BPF_LIRC_MODE2</c>.</summary>
    LircMode2 = 16,
    /// <summary><c>BPF_FLOW_DISSECTOR</c>.</summary>
    FlowDissector = 17,
    /// <summary><c>BPF_CGROUP_SYSCTL</c>.</summary>
    CgroupSysctl = 18,
    /// <summary><c>BPF_CGROUP_UDP4_RECVMSG</c>.</summary>
    CgroupUdp4Recvmsg = 19,
    /// <summary><c>BPF_CGROUP_UDP6_RECVMSG</c>.</summary>
    CgroupUdp6Recvmsg = 20,
    /// <summary><c>BPF_CGROUP_GETSOCKOPT</c>.</summary>
    CgroupGetsockopt = 21,
    /// <summary><c>BPF_CGROUP_SETSOCKOPT</c>.</summary>
    CgroupSetsockopt = 22,
    /// <summary><c>BPF_TRACE_RAW_TP</c>.</summary>
    TraceRawTp = 23,
    /// <summary><c>BPF_TRACE_FENTRY</c>.</summary>
    TraceFentry = 24,
    /// <summary><c>BPF_TRACE_FEXIT</c>.</summary>
    TraceFexit = 25,
    /// <summary><c>BPF_MODIFY_RETURN</c>.</summary>
    ModifyReturn = 26,
    /// <summary><c>BPF_LSM_MAC</c>.</summary>
    LsmMac = 27,
    /// <summary><c>BPF_TRACE_ITER</c>.</summary>
    TraceIter = 28,
    /// <summary><c>BPF_CGROUP_INET4_GETPEERNAME</c>.</summary>
    CgroupInet4Getpeername = 29,
    /// <summary><c>BPF_CGROUP_INET6_GETPEERNAME</c>.</summary>
    CgroupInet6Getpeername = 30,
    /// <summary><c>BPF_CGROUP_INET4_GETSOCKNAME</c>.</summary>
    CgroupInet4Getsockname = 31,
    /// <summary><c>BPF_CGROUP_INET6_GETSOCKNAME</c>.</summary>
    CgroupInet6Getsockname = 32,
    /// <summary><c>BPF_XDP_DEVMAP</c>.</summary>
    XdpDevmap = 33,
    /// <summary><c>BPF_CGROUP_INET_SOCK_RELEASE</c>.</summary>
    CgroupInetSockRelease = 34,
    /// <summary><c>BPF_XDP_CPUMAP</c>.</summary>
    XdpCpumap = 35,
    /// <summary><c>BPF_SK_LOOKUP</c>.</summary>
    SkLookup = 36,
    /// <summary><c>BPF_XDP</c>.</summary>
    Xdp = 37,
    /// <summary><c>BPF_SK_SKB_VERDICT</c>.</summary>
    SkSkbVerdict = 38,
    /// <summary><c>BPF_SK_REUSEPORT_SELECT</c>.</summary>
    SkReuseportSelect = 39,
    /// <summary><c>BPF_SK_REUSEPORT_SELECT_OR_MIGRATE</c>.</summary>
    SkReuseportSelectOrMigrate = 40,
    /// <summary><c>BPF_PERF_EVENT</c>.</summary>
    PerfEvent = 41,
    /// <summary><c>BPF_TRACE_KPROBE_MULTI</c>.</summary>
    TraceKprobeMulti = 42,
    /// <summary><c>BPF_LSM_CGROUP</c>.</summary>
    LsmCgroup = 43,
    /// <summary><c>BPF_STRUCT_OPS</c>.</summary>
    StructOps = 44,
    /// <summary><c>BPF_NETFILTER</c>.</summary>
    Netfilter = 45,
    /// <summary><c>BPF_TCX_INGRESS</c>.</summary>
    TcxIngress = 46,
    /// <summary><c>BPF_TCX_EGRESS</c>.</summary>
    TcxEgress = 47,
    /// <summary><c>BPF_TRACE_UPROBE_MULTI</c>.</summary>
    TraceUprobeMulti = 48,
    /// <summary><c>BPF_CGROUP_UNIX_CONNECT</c>.</summary>
    CgroupUnixConnect = 49,
    /// <summary><c>BPF_CGROUP_UNIX_SENDMSG</c>.</summary>
    CgroupUnixSendmsg = 50,
    /// <summary><c>BPF_CGROUP_UNIX_RECVMSG</c>.</summary>
    CgroupUnixRecvmsg = 51,
    /// <summary><c>BPF_CGROUP_UNIX_GETPEERNAME</c>.</summary>
    CgroupUnixGetpeername = 52,
    /// <summary><c>BPF_CGROUP_UNIX_GETSOCKNAME</c>.</summary>
    CgroupUnixGetsockname = 53,
    /// <summary><c>BPF_NETKIT_PRIMARY</c>.</summary>
    NetkitPrimary = 54,
    /// <summary><c>BPF_NETKIT_PEER</c>.</summary>
    NetkitPeer = 55,
    /// <summary><c>BPF_TRACE_KPROBE_SESSION</c>.</summary>
    TraceKprobeSession = 56,
    /// <summary><c>BPF_TRACE_UPROBE_SESSION</c>.</summary>
    TraceUprobeSession = 57,
}
