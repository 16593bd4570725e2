using BpfHarness;
using BpfLoader.ArgCtx;
using BpfLoader.Diagnostics;
using BpfLoader.Objects;
using NUnit.Framework;
using static BpfHarness.TP;

namespace BpfTests.ArgCtx;

/// <summary>
/// The arg:ctx fallback itself: that it is what makes the tagged programs load on a kernel without native support
/// (option Off), which program types get the rewrite (libbpf's program-type table) as the kernel keeps it, and
/// libbpf's warning for a tagged parameter it cannot retype.
/// </summary>
public class ArgCtxFallbackTests
{
    private static readonly string[] TaggedPrograms = ["arg_tag_ctx_kprobe", "arg_tag_ctx_raw_tp", "arg_tag_ctx_perf"];

    /// <summary>
    /// Without the rewrite the tagged programs load only where the kernel understands arg:ctx (v6.8+); on 6.1 they
    /// fail, which shows the RUN_TESTS successes there come from the fallback.
    /// </summary>
    [Test]
    public void arg_ctx_fallback_off()
    {
        bool native = NativeArgCtxProbe.KernelSupportsArgCtx;
        printf($"native arg:ctx support: {(native ? "yes" : "no")}\n");
        foreach (string name in TaggedPrograms)
            Subtest(name, () => load_without_fallback(name, native));
    }

    private static void load_without_fallback(string name, bool native)
    {
        using var obj = BpfObject.Open(Progs.Path("test_global_func_ctx_args"), new ObjectOpenOptions { ArgCtxFallback = ArgCtxFallbackMode.Off });
        var prog = obj.Program(name);
        prog.AutoLoad = true;
        int err = TryLoad(obj);
        if (native)
        {
            ASSERT_OK(err, "native_load");
            return;
        }
        if (!ASSERT_ERR(err, "load_without_fallback"))
            return;
        // The verifier treats the untyped `void *ctx` parameter as memory, which bpf_get_stack() does not take.
        ASSERT_HAS_SUBSTR(prog.VerifierLog, "func#", "verifier_log");
    }

    /// <summary>
    /// Forced rewrite per program type, checked in the BTF the kernel keeps for the program: the subprogram's
    /// tagged parameter points to an empty struct named after the type's context (tc and socket: __sk_buff, xdp:
    /// xdp_md), and stays `void *` for syscall programs, which have no named context.
    /// </summary>
    [TestCase("tc_ctx", "tc_subprog", "__sk_buff")]
    [TestCase("xdp_ctx", "xdp_subprog", "xdp_md")]
    [TestCase("socket_ctx", "socket_subprog", "__sk_buff")]
    [TestCase("syscall_ctx", "syscall_subprog", null)]
    public void arg_ctx_rewrite_by_program_type(string program, string subprog, string? ctxStruct)
    {
        using var obj = BpfObject.Open(Progs.Path("arg_ctx_types"), new ObjectOpenOptions { ArgCtxFallback = ArgCtxFallbackMode.Forced });
        obj.Program(program).AutoLoad = true;
        if (!ASSERT_OK(TryLoad(obj), "load"))
            return;
        int err = KernelProgramBtf.ReadFuncInfo(obj.Program(program).Fd, 2, out uint count, out uint btfId, out var records);
        if (!ASSERT_OK(err, "prog_info") || !ASSERT_EQ(count, 2u, "nr_func_info"))
            return;
        var btf = KernelProgramBtf.LoadById(btfId);
        if (!ASSERT_OK_PTR(btf, "obj_kern_btf") || btf is null)
            return;
        var fn = btf[records[1].TypeId];
        ASSERT_STREQ(fn.Name, subprog, "subprog_name");
        var param = btf[btf[btf[fn.Type].Params[0].Type].Type];   // FUNC -> FUNC_PROTO -> param PTR -> pointee
        if (ctxStruct is null)
            ASSERT_TRUE(param.IsVoid, "param_stays_void_ptr");
        else
            ASSERT_HAS_SUBSTR(btf.DumpRaw(param.Id), $"STRUCT '{ctxStruct}' size=0 vlen=0", "ctx_struct_t");
    }

    /// <summary>libbpf warns for a tagged parameter it cannot express as the context, and leaves it to the verifier.</summary>
    [Test]
    public void arg_ctx_unsupported_type_warns()
    {
        using var obj = BpfObject.Open(Progs.Path("arg_ctx_types"), new ObjectOpenOptions { ArgCtxFallback = ArgCtxFallbackMode.Forced });
        obj.Program("raw_tp_int_ptr").AutoLoad = true;
        ASSERT_OK(LogCapture.Start(), "start_log_capture");
        TryLoad(obj); // the verifier's verdict on `int *` is not what this test is about
        string? log = LogCapture.Stop();
        ASSERT_HAS_SUBSTR(log, "libbpf: prog 'raw_tp_int_ptr': subprog 'int_ptr_subprog' arg#0 is expected to be of `struct bpf_raw_tracepoint_args *` type",
            "unsupported_arg_warning");
    }

    private static int TryLoad(BpfObject obj)
    {
        try
        {
            obj.Load();
            return 0;
        }
        catch (BpfException e)
        {
            return -Math.Abs(e.Error);
        }
    }
}
