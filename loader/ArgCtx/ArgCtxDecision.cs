using BpfLoader.Btf;
using BpfLoader.Kernel;

namespace BpfLoader.ArgCtx;

/// <summary>What the fallback does with one <c>arg:ctx</c>-tagged parameter.</summary>
internal enum ArgCtxVerdict
{
    /// <summary>The parameter already has the type the verifier recognises as the context: leave it.</summary>
    AlreadyCanonical,
    /// <summary>Retype the parameter to a pointer to the program type's context struct.</summary>
    Rewrite,
    /// <summary>Not a type libbpf knows how to turn into the context: warn, leave it (the verifier decides).</summary>
    Unsupported,
}

/// <summary>
/// libbpf's <c>need_func_arg_type_fixup</c> as a pure decision on the object BTF.
/// </summary>
internal static class ArgCtxDecision
{
    /// <summary>
    /// Does a tagged parameter of type <paramref name="argTypeId"/> need retyping for a program of type
    /// <paramref name="progType"/>, whose context struct is <paramref name="ctxStruct"/>?
    /// </summary>
    public static ArgCtxVerdict Decide(Btf.Btf btf, BpfProgType progType, int argTypeId, string ctxStruct)
    {
        var ptr = btf[btf.SkipModsAndTypedefs(argTypeId)];
        if (ptr.Kind != BtfKind.Ptr)
            return ArgCtxVerdict.Unsupported;

        // bpf_user_pt_regs_t is a typedef, and the canonical kprobe/perf_event context: check it before typedefs are skipped.
        int pointee = ptr.Type;
        while (pointee != 0 && btf[pointee].IsModifier)
            pointee = btf[pointee].Type;
        if (pointee != 0 && btf[pointee].Kind == BtfKind.Typedef && btf[pointee].Name == "bpf_user_pt_regs_t"
            && progType is BpfProgType.Kprobe or BpfProgType.PerfEvent)
            return ArgCtxVerdict.AlreadyCanonical;

        var target = btf[btf.SkipModsAndTypedefs(ptr.Type)];
        if (target.IsVoid)
            return ArgCtxVerdict.Rewrite;
        if (target.Kind == BtfKind.Struct && target.Name == ctxStruct)
            return ArgCtxVerdict.AlreadyCanonical;
        bool rewrite = progType switch
        {
            BpfProgType.Kprobe => target.Kind == BtfKind.Struct && target.Name == "pt_regs",
            BpfProgType.PerfEvent => target.Kind == BtfKind.Struct && target.Name == ProgramContextTypes.UserPtRegsStruct,
            BpfProgType.RawTracepoint or BpfProgType.RawTracepointWritable => target.Kind == BtfKind.Int && target.Size == 8,
            _ => false,
        };
        return rewrite ? ArgCtxVerdict.Rewrite : ArgCtxVerdict.Unsupported;
    }
}
