using NUnit.Framework;

namespace BpfTests.Testmod;

/// <summary>A bare struct_ops map of bpf_testmod_ops, created with raw BPF_MAP_CREATE (no programs, never attached).</summary>
internal static class ModuleStructOpsMap
{
    public static int Create()
    {
        var vmlinux = SplitBtf.Load("/sys/kernel/btf/vmlinux");
        var module = SplitBtf.Load("/sys/kernel/btf/bpf_testmod");
        var vt = vmlinux.FindStructInModule(module, "bpf_struct_ops_bpf_testmod_ops");
        Assert.That(vt, Is.Not.Null, "bpf_struct_ops_bpf_testmod_ops in the module BTF");
        var btf = BpfRaw.KernelBtfFdByName("bpf_testmod");
        Assert.That(btf, Is.GreaterThanOrEqualTo(0), "fd of the bpf_testmod BTF object");
        var userBtf = BpfRaw.LoadMinimalBtf();
        try
        {
            Assert.That(userBtf, Is.GreaterThanOrEqualTo(0), "BPF_BTF_LOAD of a minimal BTF");
            var map = BpfRaw.CreateModuleStructOpsMap("testmod_hold", vt!.Value.Id, vt.Value.Size, btf, userBtf);
            Assert.That(map, Is.GreaterThanOrEqualTo(0), "BPF_MAP_CREATE struct_ops with value_type_btf_obj_fd");
            return map;
        }
        finally
        {
            // the map keeps what it needs; our fds are not what holds the module
            BpfRaw.Close(btf);
            if (userBtf >= 0) BpfRaw.Close(userBtf);
        }
    }
}
