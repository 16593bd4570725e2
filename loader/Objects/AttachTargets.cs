using BpfLoader.Diagnostics;
using BpfLoader.Kernel;
using BpfLoader.Programs;

namespace BpfLoader.Objects;

using Btf = BpfLoader.Btf.Btf;
using BtfKind = BpfLoader.Btf.BtfKind;

/// <summary>
/// Resolves the kernel BTF id a tracing, LSM or iterator program attaches to, from its section name
/// (<c>fentry/do_unlinkat</c> → FUNC <c>do_unlinkat</c>; <c>tp_btf/sched_switch</c> → TYPEDEF
/// <c>btf_trace_sched_switch</c>; <c>lsm/file_open</c> → FUNC <c>bpf_lsm_file_open</c>; <c>iter/task</c> → FUNC
/// <c>bpf_iter_task</c>), searching vmlinux and then module BTFs.
/// </summary>
internal static class AttachTargets
{
    public static void Resolve(BpfProgram prog)
    {
        if (prog.Definition is null || (prog.Definition.Flags & SectionFlags.AttachBtf) == 0 || prog.AttachBtfId != 0)
            return;
        if (prog.Type == BpfProgType.Ext)
            return; // freplace targets a program fd given by the caller
        string target = prog.AttachTarget ?? "";
        if (target.Length == 0)
            throw LibbpfError.Log($"prog '{prog.Name}': no attach target in the section name", new BpfException(NotFound(prog, target, Errno.EINVAL), Errno.EINVAL));
        string? module = null;
        int colon = target.IndexOf(':');
        if (colon > 0)
        {
            module = target[..colon];
            target = target[(colon + 1)..];
        }
        var (prefix, kind) = prog.ExpectedAttachType switch
        {
            BpfAttachType.TraceRawTp => ("btf_trace_", BtfKind.Typedef),
            BpfAttachType.LsmMac or BpfAttachType.LsmCgroup => ("bpf_lsm_", BtfKind.Func),
            BpfAttachType.TraceIter => ("bpf_iter_", BtfKind.Func),
            _ => ("", BtfKind.Func),
        };
        string name = prefix + target;
        if (module is null)
        {
            int id = Btf.KernelVmlinux.FindByName(name, kind);
            if (id > 0)
            {
                prog.AttachBtfId = id;
                return;
            }
        }
        foreach (var kernelModule in KernelBtfs.Modules())
        {
            if (module is not null && kernelModule.Name != module)
                continue;
            int id = kernelModule.Btf.FindOwnByName(name, kind);
            if (id > 0)
            {
                prog.AttachBtfId = id;
                prog.AttachBtfObjFd = kernelModule.Fd.Value;
                return;
            }
        }
        throw LibbpfError.Log(NotFound(prog, name, Errno.ESRCH), Errno.ESRCH);
    }

    private static string NotFound(BpfProgram prog, string name, int errno)
        => $"prog '{prog.Name}': failed to find kernel BTF type ID of '{name}': {Errno.Str(errno)}";
}
