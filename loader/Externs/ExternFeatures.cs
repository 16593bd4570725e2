using BpfLoader.Kernel;

namespace BpfLoader.Externs;

/// <summary>
/// The kernel facts behind libbpf's virtual Kconfig externs, each probed once per process:
/// <c>LINUX_HAS_BPF_COOKIE</c> (a tracepoint program calling bpf_get_attach_cookie loads) and
/// <c>LINUX_HAS_SYSCALL_WRAPPER</c> (the arch's <c>__x64_sys_bpf</c> wrapper is kprobe-able).
/// </summary>
internal static class ExternFeatures
{
    private const int GetAttachCookie = 174;

    private static readonly Lazy<bool> Cookie = new(ProbeCookie);
    private static readonly Lazy<bool> Wrapper = new(ProbeSyscallWrapper);

    public static bool BpfCookie => Cookie.Value;

    public static bool SyscallWrapper => Wrapper.Value;

    private static bool ProbeCookie()
        => KernelFeatures.ProbeLoad(new ProgLoadAttr { ProgType = (uint)BpfProgType.Tracepoint },
            [new Instruction { Code = Instruction.Call, Imm = GetAttachCookie }, new Instruction { Code = Instruction.Exit }], "BPF cookie");

    // libbpf opens a kprobe perf event on the wrapper; without a kprobe PMU (and without legacy kprobe_events)
    // that fails, so the answer is no. With one, the wrapper symbol's presence in kallsyms decides.
    private static bool ProbeSyscallWrapper()
    {
        if (!KernelFeatures.KprobePmu)
            return false;
        try
        {
            return File.ReadLines("/proc/kallsyms").Any(l => l.EndsWith(" __x64_sys_bpf", StringComparison.Ordinal));
        }
        catch (IOException)
        {
            return false;
        }
    }
}
