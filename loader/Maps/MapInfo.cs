using System.Text;
using BpfLoader.Kernel;

namespace BpfLoader.Maps;

/// <summary><c>struct bpf_map_info</c> as returned by BPF_OBJ_GET_INFO_BY_FD.</summary>
public sealed record MapInfo(BpfMapType Type, uint Id, uint KeySize, uint ValueSize, uint MaxEntries, uint Flags, string Name,
    uint BtfVmlinuxValueTypeId, uint BtfId, uint BtfKeyTypeId, uint BtfValueTypeId, uint BtfVmlinuxId, ulong MapExtra)
{
    private const int Size = 88;

    public static MapInfo? Read(int fd) => Read(fd, out _);

    /// <summary>The info of map <paramref name="fd"/>, or null with <paramref name="error"/> = -errno.</summary>
    public static MapInfo? Read(int fd, out int error)
    {
        var b = new byte[Size];
        error = BpfSyscall.TryGetInfoByFd(fd, b);
        if (error < 0)
            return null;
        error = 0;
        uint U32(int o) => BitConverter.ToUInt32(b, o);
        var nameBytes = b.AsSpan(24, 16);
        int end = nameBytes.IndexOf((byte)0);
        return new MapInfo((BpfMapType)U32(0), U32(4), U32(8), U32(12), U32(16), U32(20),
            Encoding.UTF8.GetString(end < 0 ? nameBytes : nameBytes[..end]), U32(44), U32(64), U32(68), U32(72), U32(76),
            BitConverter.ToUInt64(b, 80));
    }
}
