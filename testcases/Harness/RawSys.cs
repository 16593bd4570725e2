using System.Runtime.InteropServices;
using System.Text;

namespace BpfTests.Harness;

/// <summary>
/// Minimal raw syscalls for the harness self-tests, independent of the loader: the leak checker must
/// be tested against fds made without any of the code it is meant to police.
/// </summary>
internal static partial class RawSys
{
    [LibraryImport("libc.so.6", EntryPoint = "syscall", SetLastError = true)]
    private static partial long Syscall(long number, long a1, long a2, long a3);

    [LibraryImport("libc.so.6", EntryPoint = "close", SetLastError = true)]
    internal static partial int Close(int fd);

    private static bool X64 => RuntimeInformation.ProcessArchitecture == Architecture.X64;

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
        long rc = Syscall(X64 ? 321 : 280, 0 /* BPF_MAP_CREATE */, (long)attr, 72);
        return rc < 0 ? -Marshal.GetLastPInvokeError() : (int)rc;
    }

    /// <summary>memfd_create(name, MFD_CLOEXEC). Returns the fd, or -errno.</summary>
    internal static unsafe int MemfdCreate(string name)
    {
        var bytes = Encoding.ASCII.GetBytes(name + "\0");
        fixed (byte* p = bytes)
        {
            long rc = Syscall(X64 ? 319 : 279, (long)p, 1 /* MFD_CLOEXEC */, 0);
            return rc < 0 ? -Marshal.GetLastPInvokeError() : (int)rc;
        }
    }

    /// <summary>The map_id line of /proc/self/fdinfo/FD.</summary>
    internal static string MapId(int fd) =>
        File.ReadLines($"/proc/self/fdinfo/{fd}").First(l => l.StartsWith("map_id:", StringComparison.Ordinal))["map_id:".Length..].Trim();
}
