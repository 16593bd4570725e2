using System.Buffers.Binary;
using BpfLoader.Btf;
using BpfLoader.Diagnostics;
using BpfLoader.Objects;
using BpfLoader.Programs;

namespace BpfLoader.ArgCtx;

/// <summary>
/// libbpf's <c>bpf_program_fixup_func_info</c> (the "__arg_ctx fallback", libbpf 1.4): for a kernel that does
/// not honour the <c>arg:ctx</c> decl tag, every global function in one main program's func_info whose tagged
/// parameter is not already typed as the context gets a clone of its FUNC + FUNC_PROTO in the object BTF, with
/// that parameter retyped to <c>struct &lt;ctx&gt; *</c> (an empty struct with the context struct's name, which is
/// all the verifier compares), and the program's func_info record is pointed at the clone. The original types
/// stay, so other programs that call the same function are unaffected. Runs after linking, before the BTF is
/// loaded, so the kernel sees the clones.
/// </summary>
internal static class ArgCtxFallback
{
    private const string Tag = "arg:ctx";

    /// <summary>Whether the object's programs need the rewrite at all (option, then the native-support probe).</summary>
    public static bool IsNeeded(ArgCtxFallbackMode mode) => mode switch
    {
        ArgCtxFallbackMode.Off => false,
        ArgCtxFallbackMode.Forced => true,
        _ => !NativeArgCtxProbe.KernelSupportsArgCtx,
    };

    /// <summary>The fallback for every linked program; returns the linked programs with their func_info adjusted.</summary>
    public static Dictionary<BpfProgram, LinkedProgram> Apply(BpfObject obj, Dictionary<BpfProgram, LinkedProgram> linked)
    {
        if (obj.Btf is null || obj.BtfExt is null || linked.Values.All(l => l.FuncInfoCount == 0) || !IsNeeded(obj.Options.ArgCtxFallback))
            return linked;
        var result = new Dictionary<BpfProgram, LinkedProgram>(linked.Count);
        foreach (var (prog, program) in linked)
        {
            try
            {
                result[prog] = FixupProgram(obj.Btf, prog, program);
            }
            catch (ArgumentException e)
            {
                // libbpf's line carries the errno; the exception also says what the BTF edit refused.
                throw LibbpfError.Log($"prog '{prog.Name}': failed to perform .BTF.ext fix ups: {Errno.Str(-Errno.EINVAL)}",
                    new BpfException($"prog '{prog.Name}': failed to perform .BTF.ext fix ups: {e.Message}", Errno.EINVAL, e));
            }
        }
        return result;
    }

    private static LinkedProgram FixupProgram(Btf.Btf btf, BpfProgram prog, LinkedProgram linked)
    {
        string? ctxStruct = ProgramContextTypes.StructName(prog.Type);
        if (linked.FuncInfo is null || linked.FuncInfoCount == 0 || ctxStruct is null)
            return linked;
        var records = DecodeFuncInfos(linked.FuncInfo, linked.FuncInfoCount, (int)linked.FuncInfoRecordSize);
        var originalIds = records.Select(r => r.TypeId).ToArray();
        int ctxPtr = 0;
        int lastOriginalId = btf.LastId; // types added below are clones, not candidates
        for (int id = 1; id <= lastOriginalId; id++)
        {
            var tag = btf[id];
            if (tag.Kind != BtfKind.DeclTag || tag.Name != Tag)
                continue;
            int fnId = tag.Type;
            var fn = btf[fnId];
            if (fn.Kind != BtfKind.Func || fn.FuncLinkage != BtfFuncLinkage.Global || btf[fn.Type].Kind != BtfKind.FuncProto)
                continue;
            int rec = Array.IndexOf(originalIds, fnId);
            if (rec < 0)
                continue; // this program does not call the function
            var proto = btf[fn.Type];
            int arg = tag.DeclTagComponentIndex;
            if (arg < 0 || arg >= proto.Vlen)
                continue;
            switch (ArgCtxDecision.Decide(btf, prog.Type, proto.Params[arg].Type, ctxStruct))
            {
                case ArgCtxVerdict.AlreadyCanonical:
                    continue;
                case ArgCtxVerdict.Unsupported:
                    LibbpfLog.Warn($"prog '{prog.Name}': subprog '{fn.Name}' arg#{arg} is expected to be of `struct {ctxStruct} *` type");
                    continue;
            }
            if (records[rec].TypeId == fnId)
                records[rec] = records[rec] with { TypeId = CloneFunc(btf, fnId) };
            if (ctxPtr == 0)
                ctxPtr = btf.AddPtr(btf.AddStruct(ctxStruct, 0, []));
            int clone = records[rec].TypeId;
            btf.AddDeclTag(Tag, clone, arg);
            btf.SetParamType(btf[clone].Type, arg, ctxPtr);
            LibbpfLog.Debug($"prog '{prog.Name}': subprog '{fn.Name}' arg#{arg} retyped to `struct {ctxStruct} *` (FUNC [{clone}])");
        }
        if (ctxPtr == 0)
            return linked;
        return linked with { FuncInfo = BtfExt.EncodeFuncInfos(records) };
    }

    /// <summary>A new FUNC_PROTO with the same return and parameters, and a FUNC with the same name and linkage on it.</summary>
    private static int CloneFunc(Btf.Btf btf, int fnId)
    {
        var fn = btf[fnId];
        var proto = btf[fn.Type];
        var parameters = new BtfParamSpec[proto.Vlen];
        for (int i = 0; i < parameters.Length; i++)
            parameters[i] = new BtfParamSpec(proto.Params[i].Name, proto.Params[i].Type);
        int returnType = proto.Type;
        string name = fn.Name;
        var linkage = fn.FuncLinkage;
        int cloneProto = btf.AddFuncProto(returnType, parameters);
        return btf.AddFunc(name, cloneProto, linkage);
    }

    private static FuncInfo[] DecodeFuncInfos(byte[] data, int count, int recordSize)
    {
        var records = new FuncInfo[count];
        for (int i = 0; i < count; i++)
        {
            var r = data.AsSpan(i * recordSize);
            records[i] = new FuncInfo(BinaryPrimitives.ReadUInt32LittleEndian(r), BinaryPrimitives.ReadInt32LittleEndian(r[4..]));
        }
        return records;
    }
}
