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
        // Measured on 6.1: without the tag understood, `void *ctx` is a memory argument of unknown size.
        ASSERT_HAS_SUBSTR(prog.VerifierLog, "arg#0 reference type('UNKNOWN ') size cannot be determined", "verifier_log");
    }

    /// <summary>
    /// Forced rewrite per program type, checked in the BTF the kernel keeps for the program: the subprogram's
    /// tagged parameter points to an empty struct named after the type's context (tc and socket: __sk_buff, xdp:
    /// xdp_md).
    /// </summary>
    [TestCase("tc_ctx", "tc_subprog", "__sk_buff")]
    [TestCase("xdp_ctx", "xdp_subprog", "xdp_md")]
    [TestCase("socket_ctx", "socket_subprog", "__sk_buff")]
    public void arg_ctx_rewrite_by_program_type(string program, string subprog, string ctxStruct)
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
        ASSERT_HAS_SUBSTR(btf.DumpRaw(param.Id), $"STRUCT '{ctxStruct}' size=0 vlen=0", "ctx_struct_t");
    }

    /// <summary>
    /// A syscall program has no named context struct: even forced, the fallback leaves its func_info on the
    /// original FUNC with the `void *` parameter (checked after prepare, as the kernel would get it; on 6.1 such a
    /// program then fails to load, as with libbpf).
    /// </summary>
    [Test]
    public void arg_ctx_no_rewrite_without_ctx_struct()
    {
        using var obj = BpfObject.Open(Progs.Path("arg_ctx_types"), new ObjectOpenOptions { ArgCtxFallback = ArgCtxFallbackMode.Forced });
        var prog = obj.Program("syscall_ctx");
        prog.AutoLoad = true;
        obj.Prepare();
        var linked = obj.Linked![prog];
        if (!ASSERT_EQ(linked.FuncInfoCount, 2, "nr_func_info"))
            return;
        int typeId = BitConverter.ToInt32(linked.FuncInfo!, BpfLoader.Btf.BtfExt.FuncInfoSize + 4);
        var btf = obj.Btf!;
        ASSERT_EQ(typeId, btf.FindByName("syscall_subprog", BpfLoader.Btf.BtfKind.Func), "func_info_keeps_original_func");
        ASSERT_TRUE(btf[btf[btf[btf[typeId].Type].Params[0].Type].Type].IsVoid, "param_stays_void_ptr");
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
