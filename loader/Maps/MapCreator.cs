using BpfLoader.Diagnostics;
using BpfLoader.Interop;
using BpfLoader.Kernel;

namespace BpfLoader.Maps;

/// <summary>BPF_MAP_CREATE for one map definition, with libbpf's retry without BTF.</summary>
internal static unsafe class MapCreator
{
    /// <summary>
    /// Creates the kernel map and returns its new fd. With a BTF fd the key/value type ids are passed; if the
    /// kernel refuses, creation is retried without BTF as libbpf does (struct_ops maps need BTF: no retry).
    /// </summary>
    public static int CreateKernelMap(BpfMap map, int btfFd, int innerMapFd = -1)
    {
        var attr = BuildAttr(map, btfFd, innerMapFd);
        long r = BpfSyscall.Call(BpfCommand.MapCreate, ref attr);
        if (r < 0 && btfFd >= 0 && map.Type != BpfMapType.StructOps && attr.BtfValueTypeId != 0)
        {
            LibbpfLog.Warn($"Error in bpf_create_map_xattr({map.Name}): {Errno.Str((int)r)}. Retrying without BTF.");
            attr = BuildAttr(map, -1, innerMapFd);
            r = BpfSyscall.Call(BpfCommand.MapCreate, ref attr);
        }
        if (r < 0)
        {
            throw LibbpfError.Syscall($"map '{map.Name}': failed to create: {Errno.Str((int)r)}", $"map '{map.Name}': create", (int)-r);
        }
        return (int)r;
    }

    /// <summary>
    /// Moves a new fd onto a placeholder's number (dup3 replaces the memfd atomically) and closes the new fd,
    /// so instructions relocated with the placeholder number now refer to the real object.
    /// </summary>
    public static void MoveOntoPlaceholder(int newFd, int placeholderFd, string what)
    {
        int moved = Native.Dup3(newFd, placeholderFd, Native.OCloexec);
        int errno = Native.LastErrno;
        Native.Close(newFd);
        if (moved < 0)
            throw new BpfSyscallException($"{what}: dup3 onto placeholder fd {placeholderFd}", errno);
    }

    private static MapCreateAttr BuildAttr(BpfMap map, int btfFd, int innerMapFd)
    {
        var attr = new MapCreateAttr
        {
            MapType = (uint)map.Type,
            KeySize = map.KeySize,
            ValueSize = map.ValueSize,
            MaxEntries = map.MaxEntries,
            MapFlags = map.Flags,
            NumaNode = map.NumaNode,
            MapExtra = map.MapExtra,
            InnerMapFd = innerMapFd >= 0 ? (uint)innerMapFd : 0,
        };
        if (map.ValueTypeBtfObjFd >= 0)
        {
            attr.ValueTypeBtfObjFd = map.ValueTypeBtfObjFd;
            attr.MapFlags |= BpfFlags.VtypeBtfObjFd;
        }
        BpfSyscall.CopyName(attr.MapName, SanitizeName(map.Name));
        if (btfFd >= 0 && !MapTypeTakesBtf(map.Type))
            btfFd = -1;
        if (btfFd >= 0)
        {
            attr.BtfFd = (uint)btfFd;
            attr.BtfKeyTypeId = (uint)map.BtfKeyTypeId;
            attr.BtfValueTypeId = (uint)map.BtfValueTypeId;
            attr.BtfVmlinuxValueTypeId = (uint)map.BtfVmlinuxValueTypeId;
        }
        else if (map.Type == BpfMapType.StructOps)
        {
            attr.BtfVmlinuxValueTypeId = (uint)map.BtfVmlinuxValueTypeId;
        }
        return attr;
    }

    /// <summary>Map types the kernel refuses key/value BTF for (libbpf clears it for these).</summary>
    private static bool MapTypeTakesBtf(BpfMapType type) => type is not (BpfMapType.PerfEventArray or BpfMapType.CgroupArray
        or BpfMapType.StackTrace or BpfMapType.ArrayOfMaps or BpfMapType.HashOfMaps or BpfMapType.Devmap or BpfMapType.DevmapHash
        or BpfMapType.Cpumap or BpfMapType.Xskmap or BpfMapType.Sockmap or BpfMapType.Sockhash or BpfMapType.Queue
        or BpfMapType.Stack or BpfMapType.Arena);

    /// <summary>The kernel accepts only [A-Za-z0-9_.] in object names, at most 15 bytes.</summary>
    public static string SanitizeName(string name)
    {
        var chars = name.Length > 15 ? name[..15].ToCharArray() : name.ToCharArray();
        for (int i = 0; i < chars.Length; i++)
        {
            if (!char.IsAsciiLetterOrDigit(chars[i]) && chars[i] != '_' && chars[i] != '.')
                chars[i] = '_';
        }
        return new string(chars);
    }
}
