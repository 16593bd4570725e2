using System.Text;
using BpfLoader.Interop;

namespace BpfTests.Harness;

/// <summary>
/// BPF fds for the harness self-tests made without the loader's object code: the leak checker must be
/// tested against fds made without any of the code it is meant to police. Raw calls go through the one
/// syscall layer (<see cref="Native"/>).
/// </summary>
internal static class RawSys
{
    internal static int Close(int fd) => Native.Close(fd);

    /// <summary>
    /// bpf(BPF_MAP_CREATE) of a BPF_MAP_TYPE_ARRAY with 4-byte keys and values and one entry.
    /// Returns the fd, or -errno.
    /// </summary>
    internal static unsafe int CreateArrayMap(string name)
    {
        // union bpf_attr, map-create part: map_type@0 key_size@4 value_size@8 max_entries@12
        // map_flags@16 inner_map_fd@20 numa_node@24 map_name[16]@28. The rest must be zero.
        byte* attr = stackalloc byte[72];
        new Span<byte>(attr, 72).Clear();
        *(uint*)(attr + 0) = 2; // BPF_MAP_TYPE_ARRAY
        *(uint*)(attr + 4) = 4;
        *(uint*)(attr + 8) = 4;
        *(uint*)(attr + 12) = 1;
        Encoding.ASCII.GetBytes(name).AsSpan(0, Math.Min(name.Length, 15)).CopyTo(new Span<byte>(attr + 28, 16));
        return (int)Native.SyscallOrErrno(Native.SysBpf, 0 /* BPF_MAP_CREATE */, (long)attr, 72);
    }

    /// <summary>memfd_create(name, MFD_CLOEXEC). Returns the fd, or -errno.</summary>
    internal static int MemfdCreate(string name) => (int)Native.OrErrno(Native.MemfdCreate(name, Native.MfdCloexec));

    /// <summary>The map_id line of /proc/self/fdinfo/FD.</summary>
    internal static string MapId(int fd) =>
        File.ReadLines($"/proc/self/fdinfo/{fd}").First(l => l.StartsWith("map_id:", StringComparison.Ordinal))["map_id:".Length..].Trim();
}
