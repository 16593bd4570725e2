using BpfLoader.ArgCtx;
using BpfLoader.Btf;
using BpfLoader.Kernel;
using NUnit.Framework;
using Shouldly;

namespace BpfTests.ArgCtx;

using Btf = BpfLoader.Btf.Btf;

/// <summary>
/// The fallback's pure decision (libbpf's need_func_arg_type_fixup, libbpf-messages.md §7 step 3) on a synthetic
/// BTF, and the program-type table: which parameter types are rewritten, left alone, or warned about.
/// </summary>
public class ArgCtxDecisionTests
{
    private Btf _btf = null!;
    private int _voidPtr, _typedefPtr, _ptRegsPtr, _u64Ptr, _intPtr, _int, _skbPtr, _constVoidPtr;

    [SetUp]
    public void BuildTypes()
    {
        _btf = Btf.CreateEmpty(null, "decision");
        _int = _btf.AddInt("int", 4, BtfIntEncoding.Signed);
        int u64 = _btf.AddInt("unsigned long long", 8);
        int ptRegs = _btf.AddStruct("pt_regs", 168, []);
        int userPtRegs = _btf.AddTypedef("bpf_user_pt_regs_t", ptRegs);
        int skb = _btf.AddStruct("__sk_buff", 192, []);
        _voidPtr = _btf.AddPtr(0);
        _constVoidPtr = _btf.AddPtr(_btf.AddConst(0));
        _typedefPtr = _btf.AddPtr(userPtRegs);
        _ptRegsPtr = _btf.AddPtr(ptRegs);
        _u64Ptr = _btf.AddPtr(u64);
        _intPtr = _btf.AddPtr(_int);
        _skbPtr = _btf.AddPtr(skb);
    }

    private ArgCtxVerdict Decide(BpfProgType type, int arg) =>
        ArgCtxDecision.Decide(_btf, type, arg, ProgramContextTypes.StructName(type)!);

    [Test]
    public void Void_pointers_are_rewritten_for_every_type_with_a_ctx_struct()
    {
        foreach (var type in ProgramContextTypes.All.Keys)
        {
            Decide(type, _voidPtr).ShouldBe(ArgCtxVerdict.Rewrite, type.ToString());
            Decide(type, _constVoidPtr).ShouldBe(ArgCtxVerdict.Rewrite, type.ToString());
        }
    }

    [Test]
    public void Kprobe_takes_the_typedef_as_is_and_rewrites_struct_pt_regs()
    {
        Decide(BpfProgType.Kprobe, _typedefPtr).ShouldBe(ArgCtxVerdict.AlreadyCanonical);
        Decide(BpfProgType.Kprobe, _ptRegsPtr).ShouldBe(ArgCtxVerdict.Rewrite);
        Decide(BpfProgType.Kprobe, _u64Ptr).ShouldBe(ArgCtxVerdict.Unsupported);
    }

    [Test]
    public void Perf_event_rewrites_the_arch_regs_struct_and_raw_tp_a_u64_pointer()
    {
        Decide(BpfProgType.PerfEvent, _typedefPtr).ShouldBe(ArgCtxVerdict.AlreadyCanonical);
        Decide(BpfProgType.PerfEvent, _ptRegsPtr).ShouldBe(ArgCtxVerdict.Rewrite); // x86-64: bpf_user_pt_regs_t is struct pt_regs
        Decide(BpfProgType.RawTracepoint, _u64Ptr).ShouldBe(ArgCtxVerdict.Rewrite);
        Decide(BpfProgType.RawTracepointWritable, _u64Ptr).ShouldBe(ArgCtxVerdict.Rewrite);
        Decide(BpfProgType.RawTracepoint, _intPtr).ShouldBe(ArgCtxVerdict.Unsupported, "only an 8-byte integer");
    }

    [Test]
    public void The_canonical_struct_stays_and_anything_else_is_unsupported()
    {
        Decide(BpfProgType.SchedCls, _skbPtr).ShouldBe(ArgCtxVerdict.AlreadyCanonical);
        Decide(BpfProgType.SchedCls, _ptRegsPtr).ShouldBe(ArgCtxVerdict.Unsupported);
        Decide(BpfProgType.SchedCls, _typedefPtr).ShouldBe(ArgCtxVerdict.Unsupported, "the typedef is canonical for kprobe/perf_event only");
        Decide(BpfProgType.Xdp, _int).ShouldBe(ArgCtxVerdict.Unsupported, "not a pointer");
    }

    [Test]
    public void Table_matches_libbpfs_global_ctx_map()
    {
        ProgramContextTypes.All.Count.ShouldBe(25);
        ProgramContextTypes.StructName(BpfProgType.Kprobe).ShouldBe("bpf_user_pt_regs_t");
        ProgramContextTypes.StructName(BpfProgType.PerfEvent).ShouldBe("bpf_perf_event_data");
        ProgramContextTypes.StructName(BpfProgType.RawTracepointWritable).ShouldBe("bpf_raw_tracepoint_args");
        ProgramContextTypes.StructName(BpfProgType.Netfilter).ShouldBe("bpf_nf_ctx");
        foreach (var none in new[] { BpfProgType.Tracing, BpfProgType.Lsm, BpfProgType.StructOps, BpfProgType.Syscall, BpfProgType.Tracepoint, BpfProgType.Ext })
            ProgramContextTypes.StructName(none).ShouldBeNull(none.ToString());
    }
}
