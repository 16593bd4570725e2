using BpfLoader.Btf;
using BpfLoader.Interop;
using BpfLoader.Kernel;
using NUnit.Framework;

namespace BpfTests.Testmod;

// Inside the namespace, so that `Testmod` names the harness class rather than the namespace BpfTests.Testmod.
using BpfHarness.Testmod;

/// <summary>
/// A bare struct_ops map of bpf_testmod_ops, created with a plain BPF_MAP_CREATE (no programs, never
/// attached): a struct_ops map is all it takes to hold a module reference.
/// </summary>
internal static class ModuleStructOpsMap
{
    /// <summary>The id and size of the STRUCT <paramref name="name"/> among bpf_testmod's own BTF types (split on vmlinux), or null.</summary>
    public static (int Id, int Size)? FindModuleStruct(string name)
    {
        var module = KernelBtfs.Module(Testmod.ModuleName);
        Assert.That(module, Is.Not.Null, "BTF of the loaded bpf_testmod");
        int id = module!.Btf.FindOwnByName(name, BtfKind.Struct);
        return id > 0 ? (id, (int)module.Btf.ResolveSize(id)) : null;
    }

    public static unsafe int Create()
    {
        var vt = FindModuleStruct("bpf_struct_ops_bpf_testmod_ops");
        Assert.That(vt, Is.Not.Null, "bpf_struct_ops_bpf_testmod_ops in the module BTF");
        var userBtf = LoadMinimalBtf();
        try
        {
            Assert.That(userBtf, Is.GreaterThanOrEqualTo(0), "BPF_BTF_LOAD of a minimal BTF");
            var attr = new MapCreateAttr
            {
                MapType = (uint)BpfMapType.StructOps,
                KeySize = 4,
                ValueSize = (uint)vt!.Value.Size,
                MaxEntries = 1,
                MapFlags = BpfFlags.VtypeBtfObjFd,
                BtfFd = (uint)userBtf,
                BtfVmlinuxValueTypeId = (uint)vt.Value.Id,
                ValueTypeBtfObjFd = KernelBtfs.Module(Testmod.ModuleName)!.Fd.Value,
            };
            BpfSyscall.CopyName(attr.MapName, "testmod_hold");
            var map = (int)BpfSyscall.Call(BpfCommand.MapCreate, ref attr);
            Assert.That(map, Is.GreaterThanOrEqualTo(0), "BPF_MAP_CREATE struct_ops with value_type_btf_obj_fd");
            return map;
        }
        finally
        {
            // the map keeps what it needs; our fd is not what holds the module
            if (userBtf >= 0) Native.Close(userBtf);
        }
    }

    /// <summary>
    /// A user BTF object with a single `int`: map_create insists on a valid, non-kernel btf_fd for
    /// any map with btf_vmlinux_value_type_id ("the bpf_prog.o must have BTF to begin with").
    /// </summary>
    private static int LoadMinimalBtf()
    {
        ReadOnlySpan<byte> blob =
        [
            0x9f, 0xeb, 1, 0, 24, 0, 0, 0,      // magic, version 1, flags, hdr_len 24
            0, 0, 0, 0, 16, 0, 0, 0,             // type_off 0, type_len 16
            16, 0, 0, 0, 5, 0, 0, 0,             // str_off 16, str_len 5
            1, 0, 0, 0, 0, 0, 0, 1, 4, 0, 0, 0, // INT "int": name_off 1, kind 1, size 4
            32, 0, 0, 0,                          // nr_bits 32
            0, (byte)'i', (byte)'n', (byte)'t', 0,
        ];
        return BpfSyscall.TryBtfLoad(blob, [], 0);
    }
}
