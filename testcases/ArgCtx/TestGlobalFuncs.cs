using BpfLoader.ArgCtx;
using BpfLoader.Btf;
using BpfLoader.Objects;
using BpfTests.Skeletons;
using NUnit.Framework;
using static BpfHarness.ProgramTests;
using static BpfHarness.TP;

namespace BpfTests.ArgCtx;

using Btf = BpfLoader.Btf.Btf;

/// <summary>
/// Port of prog_tests/test_global_funcs.c (testcases.md §6): RUN_TESTS over our own programs for the verifier
/// rules of test_global_func1..17, over test_global_func_ctx_args, then the ctx_arg_rewrite subtest. The arg:ctx
/// cases load natively on v6.8+ and through the loader's fallback before (6.1); <see cref="test_global_funcs_forced_fallback"/>
/// runs them through the fallback on every kernel.
/// </summary>
public class test_global_funcs_tests
{
    [Test]
    public void test_global_funcs()
    {
        RunTests("test_global_func_rules", skip: program =>
            program == "call_chain_too_deep" && BpfHarness.Kernel.Version >= new BpfHarness.KernelVersion(7, 0, 0) ? NineFramesAcceptedOn7x : null);
        RunTests("test_global_func_ctx_args");
        Subtest("ctx_arg_rewrite", () => ctx_arg_rewrite(new ObjectOpenOptions(), skipWithNativeSupport: true));
    }

    /// <summary>The same arg:ctx cases with the rewrite forced, so a kernel with native support checks the rewrite too.</summary>
    [Test]
    public void test_global_funcs_forced_fallback()
    {
        var forced = new ObjectOpenOptions { ArgCtxFallback = ArgCtxFallbackMode.Forced };
        RunTests("test_global_func_ctx_args", forced, skip: program =>
            program == "arg_tag_ctx_kprobe" && NativeArgCtxProbe.KernelSupportsArgCtx ? KprobeRewriteRefusedNatively : null);
        Subtest("ctx_arg_rewrite", () => ctx_arg_rewrite(forced, skipWithNativeSupport: false));
    }

    /// <summary>
    /// Measured in the 7.2 guest: the 9-frame chain of global functions loads there, while 6.1, 6.12 and 6.18
    /// refuse it with "the call stack of 9 frames is too deep"; the 8-frame case (func4) still runs everywhere.
    /// </summary>
    private const string NineFramesAcceptedOn7x =
        "the 7.x verifier accepts this 9-frame chain of global functions (measured on 7.2); the rule is checked on 6.x";

    /// <summary>
    /// Measured on 6.18: a kernel with native arg:ctx checks a tagged kprobe argument itself and refuses the
    /// fallback's <c>struct bpf_user_pt_regs_t *</c> ("arg#0 should be `struct pt_regs *`"); libbpf never
    /// rewrites there, so the forced rewrite of a kprobe program can only be shown on a kernel without native support.
    /// </summary>
    private const string KprobeRewriteRefusedNatively =
        "kernel has native arg:ctx and refuses the fallback's kprobe type; the kprobe rewrite runs on kernels before 6.8";

    /// <summary>
    /// upstream's test_ctx_arg_rewrite: the kernel's copy of arg_tag_ctx_perf's BTF must show each tagged argument
    /// of both subprograms as a pointer to an empty <c>struct bpf_perf_event_data</c> (the fallback's clone).
    /// </summary>
    private static void ctx_arg_rewrite(ObjectOpenOptions options, bool skipWithNativeSupport)
    {
        var kern_btf = Btf.KernelVmlinux;
        if (!ASSERT_OK_PTR(kern_btf, "kern_btf_load"))
            return;
        // Native arg:ctx (v6.8+) means no rewrite to check, unless it is forced.
        if (skipWithNativeSupport && kern_btf.FindByName("bpf_subprog_arg_info", BtfKind.Struct) > 0)
        {
            test__skip("kernel has native arg:ctx");
            return;
        }

        using var skel = TestGlobalFuncCtxArgs.Open(options);
        if (!ASSERT_OK_PTR(skel, "skel_open"))
            return;
        skel.Progs.ArgTagCtxPerf.AutoLoad = true;
        if (!ASSERT_OK(skel.TryLoad(), "skel_load"))
            return;

        int err = KernelProgramBtf.ReadFuncInfo(skel.Progs.ArgTagCtxPerf.Fd, 3, out uint nr_func_info, out uint btf_id, out var func_infos);
        if (!ASSERT_OK(err, "prog_info"))
            return;
        if (!ASSERT_EQ(nr_func_info, 3u, "nr_func_info"))
            return;

        var btf = KernelProgramBtf.LoadById(btf_id);
        if (!ASSERT_OK_PTR(btf, "obj_kern_btf") || btf is null)
            return;

        foreach (var rec in func_infos)
        {
            if (rec.InsnOff == 0)
                continue; // main program
            if (!ASSERT_TRUE(rec.TypeId > 0 && rec.TypeId <= btf.LastId, "fn_type"))
                break;
            var fn_t = btf[rec.TypeId];
            if (!ASSERT_EQ((long)fn_t.Kind, (long)BtfKind.Func, "fn_type_kind"))
                break;
            if (!ASSERT_TRUE(fn_t.Type > 0 && fn_t.Type <= btf.LastId, "proto_type"))
                break;
            var fn_proto_t = btf[fn_t.Type];
            string fn_name = fn_t.Name;
            if (fn_name == "subprog_ctx_tag")
            {
                if (!ASSERT_EQ(fn_proto_t.Vlen, 1, "arg_cnt"))
                    break;
                if (!validate_ctx_arg(btf, fn_proto_t, 0))
                    break;
            }
            else if (fn_name == "subprog_multi_ctx_tags")
            {
                if (!ASSERT_EQ(fn_proto_t.Vlen, 3, "arg_cnt"))
                    break;
                if (!validate_ctx_arg(btf, fn_proto_t, 0) || !validate_ctx_arg(btf, fn_proto_t, 2))
                    break;
            }
            else
            {
                ASSERT_FAIL($"unexpected subprog {fn_name}");
                break;
            }
        }
    }

    private static bool validate_ctx_arg(Btf btf, BtfType fn_proto_t, int arg)
    {
        var ptr_t = btf[fn_proto_t.Params[arg].Type];
        if (!ASSERT_EQ((long)ptr_t.Kind, (long)BtfKind.Ptr, "ptr_t"))
            return false;
        string dump = btf.DumpRaw(ptr_t.Type);
        return ASSERT_HAS_SUBSTR(dump, "STRUCT 'bpf_perf_event_data' size=0 vlen=0", "ctx_struct_t");
    }
}
