using System.Text;
using BpfLoader.Kernel;

namespace BpfHarness.Leaks;

/// <summary>
/// BPF_OBJ_GET_INFO_BY_FD, used only to put object names into leak reports (/proc/self/fdinfo has
/// ids and types but no names). Layouts are the stable UAPI prefixes of bpf_map_info/bpf_prog_info.
/// </summary>
internal static class BpfInfo
{
    private const int InfoBufSize = 256; // larger than either struct prefix we read; the tail stays zero
    private const int MapNameOffset = 24;  // type, id, key_size, value_size, max_entries, map_flags
    private const int ProgNameOffset = 64; // ... tag[8], lens, insn ptrs, load_time, uid, nr_map_ids, map_ids
    private const int ObjNameLen = 16;     // BPF_OBJ_NAME_LEN

    internal static string? MapName(int fd) => Name(fd, MapNameOffset);
    internal static string? ProgName(int fd) => Name(fd, ProgNameOffset);

    private static unsafe string? Name(int fd, int offset)
    {
        byte* info = stackalloc byte[InfoBufSize];
        new Span<byte>(info, InfoBufSize).Clear();
        if (BpfSyscall.TryGetInfoByFd(fd, new Span<byte>(info, InfoBufSize)) < 0)
            return null;
        var name = new ReadOnlySpan<byte>(info + offset, ObjNameLen);
        int len = name.IndexOf((byte)0);
        return Encoding.UTF8.GetString(len < 0 ? name : name[..len]);
    }
}
