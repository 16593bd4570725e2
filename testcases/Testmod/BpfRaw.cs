using System.Runtime.InteropServices;

namespace BpfTests.Testmod;

/// <summary>
/// The few bpf(2) commands the module-refcount test needs, raw: the loader's struct_ops support
/// is not there yet, and a struct_ops map is all it takes to hold a module reference.
/// </summary>
internal static unsafe partial class BpfRaw
{
    private const long NrBpf = 321;
    private const int BPF_MAP_CREATE = 0, BPF_OBJ_GET_INFO_BY_FD = 15, BPF_BTF_LOAD = 18, BPF_BTF_GET_FD_BY_ID = 19, BPF_BTF_GET_NEXT_ID = 23;
    private const int BPF_MAP_TYPE_STRUCT_OPS = 26;
    private const uint BPF_F_VTYPE_BTF_OBJ_FD = 1u << 15;

    [LibraryImport("libc.so.6", EntryPoint = "syscall", SetLastError = true)]
    private static partial long Syscall(long number, long cmd, void* attr, long size);

    [LibraryImport("libc.so.6", EntryPoint = "close")]
    public static partial int Close(int fd);

    private static int Bpf(int cmd, byte* attr, int size)
    {
        var rc = Syscall(NrBpf, cmd, attr, size);
        return rc < 0 ? -Marshal.GetLastPInvokeError() : (int)rc;
    }

    /// <summary>fd of the kernel BTF object named <paramref name="name"/> (e.g. a module's), or -errno.</summary>
    public static int KernelBtfFdByName(string name)
    {
        uint id = 0;
        var attr = stackalloc byte[16];
        var nameBuf = stackalloc byte[64];
        var info = stackalloc byte[32];
        var ia = stackalloc byte[16];
        for (;;)
        {
            new Span<byte>(attr, 16).Clear();
            *(uint*)attr = id;
            var rc = Bpf(BPF_BTF_GET_NEXT_ID, attr, 16);
            if (rc < 0) return rc; // -ENOENT: no more
            id = *(uint*)(attr + 4);
            new Span<byte>(attr, 16).Clear();
            *(uint*)attr = id;
            var fd = Bpf(BPF_BTF_GET_FD_BY_ID, attr, 16);
            if (fd < 0) continue; // gone meanwhile
            new Span<byte>(nameBuf, 64).Clear();
            new Span<byte>(info, 32).Clear();
            *(ulong*)(info + 16) = (ulong)nameBuf;   // bpf_btf_info.name
            *(uint*)(info + 24) = 64;                // name_len
            new Span<byte>(ia, 16).Clear();
            *(uint*)ia = (uint)fd;
            *(uint*)(ia + 4) = 32;
            *(ulong*)(ia + 8) = (ulong)info;
            if (Bpf(BPF_OBJ_GET_INFO_BY_FD, ia, 16) == 0 && Marshal.PtrToStringUTF8((nint)nameBuf) == name) return fd;
            Close(fd);
        }
    }

    /// <summary>
    /// A user BTF object with a single `int`: map_create insists on a valid, non-kernel btf_fd for
    /// any map with btf_vmlinux_value_type_id ("the bpf_prog.o must have BTF to begin with").
    /// </summary>
    public static int LoadMinimalBtf()
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
        var attr = stackalloc byte[32];
        new Span<byte>(attr, 32).Clear();
        fixed (byte* b = blob)
        {
            *(ulong*)attr = (ulong)b;           // btf
            *(uint*)(attr + 16) = (uint)blob.Length; // btf_size
            return Bpf(BPF_BTF_LOAD, attr, 32);
        }
    }

    /// <summary>BPF_MAP_CREATE of a struct_ops map whose value type lives in a module's BTF: fd or -errno.</summary>
    public static int CreateModuleStructOpsMap(string mapName, int valueTypeId, int valueSize, int btfObjFd, int userBtfFd)
    {
        var attr = stackalloc byte[80];
        new Span<byte>(attr, 80).Clear();
        *(uint*)(attr + 0) = BPF_MAP_TYPE_STRUCT_OPS;
        *(uint*)(attr + 4) = 4;                         // key_size
        *(uint*)(attr + 8) = (uint)valueSize;           // value_size
        *(uint*)(attr + 12) = 1;                        // max_entries
        *(uint*)(attr + 16) = BPF_F_VTYPE_BTF_OBJ_FD;   // map_flags
        var n = System.Text.Encoding.ASCII.GetBytes(mapName);
        for (var i = 0; i < Math.Min(n.Length, 15); i++) attr[28 + i] = n[i]; // map_name[16]
        *(uint*)(attr + 48) = (uint)userBtfFd;        // btf_fd
        *(uint*)(attr + 60) = (uint)valueTypeId;        // btf_vmlinux_value_type_id
        *(int*)(attr + 72) = btfObjFd;                  // value_type_btf_obj_fd
        return Bpf(BPF_MAP_CREATE, attr, 80);
    }
}
