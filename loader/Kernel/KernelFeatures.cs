using BpfLoader.Diagnostics;
using BpfLoader.Interop;
using BpfLoader.Programs;

namespace BpfLoader.Kernel;

using Btf = BpfLoader.Btf.Btf;
using BtfKind = BpfLoader.Btf.BtfKind;

/// <summary>
/// Kernel capabilities decided by real probes (a tiny program or object loaded into the kernel, as libbpf's
/// feature detection does), each run at most once per process.
/// </summary>
public static class KernelFeatures
{
    private static readonly Lazy<bool> Fentry = new(() => ProbeTracing(BpfAttachType.TraceFentry, "bpf_fentry_test1"));

    /// <summary>fentry/fexit programs load (needs BPF trampolines and no LSM/lockdown policy refusing them).</summary>
    public static bool FentryPrograms => Fentry.Value;

    /// <summary>The kprobe PMU exists (CONFIG_KPROBES and CONFIG_KPROBE_EVENTS).</summary>
    public static bool KprobePmu => Directory.Exists("/sys/bus/event_source/devices/kprobe");

    private static bool ProbeTracing(BpfAttachType attachType, string function)
    {
        int btfId = Btf.KernelVmlinux.FindByName(function, BtfKind.Func);
        if (btfId <= 0)
            return false;
        var attr = new ProgLoadAttr { ProgType = (uint)BpfProgType.Tracing, ExpectedAttachType = (uint)attachType, AttachBtfId = (uint)btfId };
        return ProbeLoad(attr, [new Instruction { Code = 0xb7 } /* r0 = 0 */, new Instruction { Code = 0x95 } /* exit */],
            $"{attachType} program");
    }

    /// <summary>
    /// A feature probe: loads <paramref name="insns"/> with the settings in <paramref name="attr"/> (GPL licence),
    /// closes the program again and says whether the kernel accepted it.
    /// </summary>
    internal static unsafe bool ProbeLoad(ProgLoadAttr attr, Instruction[] insns, string what)
    {
        var license = "GPL\0"u8.ToArray();
        fixed (Instruction* p = insns)
        fixed (byte* l = license)
        {
            attr.Insns = (ulong)p;
            attr.InsnCnt = (uint)insns.Length;
            attr.License = (ulong)l;
            long fd = BpfSyscall.Call(BpfCommand.ProgLoad, ref attr);
            if (fd < 0)
            {
                LibbpfLog.Debug($"Detection of kernel {what} support failed: {Errno.Str((int)fd)}");
                return false;
            }
            Native.Close((int)fd);
            return true;
        }
    }
}
