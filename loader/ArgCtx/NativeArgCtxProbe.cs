using BpfLoader.Btf;
using BpfLoader.Diagnostics;
using BpfLoader.Interop;
using BpfLoader.Kernel;

namespace BpfLoader.ArgCtx;

/// <summary>
/// libbpf's <c>FEAT_ARG_CTX_TAG</c> probe ("kernel-side __arg_ctx tag"), run once per process: a KPROBE
/// program whose global subprogram <c>b(void *b __arg_ctx)</c> calls <c>bpf_get_func_ip</c>, which needs
/// PTR_TO_CTX. Only a verifier that honours the <c>arg:ctx</c> decl tag (v6.8+) accepts it.
/// </summary>
internal static class NativeArgCtxProbe
{
    private static readonly Lazy<bool> Result = new(Probe);

    /// <summary>libbpf's probe description.</summary>
    public const string Description = "kernel-side __arg_ctx tag";

    /// <summary>True when the kernel understands <c>arg:ctx</c> itself (no fallback needed).</summary>
    public static bool KernelSupportsArgCtx => Result.Value;

    private const int BpfFuncGetFuncIp = 173;

    /// <summary>The probe's BTF: FUNC a(void *a) for the main program, FUNC b(void *b) with arg:ctx on b's arg 0.</summary>
    public static byte[] ProbeBtf(out int mainFunc, out int taggedFunc)
    {
        var btf = Btf.Btf.CreateEmpty(null, "det_arg_ctx");
        int i = btf.AddInt("a", 4, BtfIntEncoding.Signed);
        int voidPtr = btf.AddPtr(0);
        mainFunc = btf.AddFunc("a", btf.AddFuncProto(i, [new BtfParamSpec("a", voidPtr)]), BtfFuncLinkage.Global);
        taggedFunc = btf.AddFunc("b", btf.AddFuncProto(i, [new BtfParamSpec("b", voidPtr)]), BtfFuncLinkage.Global);
        btf.AddDeclTag("arg:ctx", taggedFunc, 0);
        return btf.ToBytes();
    }

    private static unsafe bool Probe()
    {
        int btfFd = BpfSyscall.TryBtfLoad(ProbeBtf(out int mainFunc, out int taggedFunc), [], 0);
        if (btfFd < 0)
        {
            LibbpfLog.Debug($"Detection of kernel {Description} support failed: BTF load {Errno.Str(btfFd)}");
            return false;
        }
        try
        {
            Instruction[] insns =
            [
                new() { Code = Instruction.Call, Regs = Instruction.PseudoCall << 4, Imm = 1 }, // call b
                new() { Code = 0x95 },                                                          // exit
                new() { Code = Instruction.Call, Imm = BpfFuncGetFuncIp },                      // b: bpf_get_func_ip(ctx)
                new() { Code = 0x95 },
            ];
            uint* funcInfo = stackalloc uint[] { 0, (uint)mainFunc, 2, (uint)taggedFunc };
            var attr = new ProgLoadAttr
            {
                ProgType = (uint)BpfProgType.Kprobe,
                ProgBtfFd = (uint)btfFd,
                FuncInfo = (ulong)funcInfo,
                FuncInfoCnt = 2,
                FuncInfoRecSize = 8,
            };
            BpfSyscall.CopyName(attr.ProgName, "det_arg_ctx");
            return KernelFeatures.ProbeLoad(attr, insns, Description);
        }
        finally
        {
            Native.Close(btfFd);
        }
    }
}
