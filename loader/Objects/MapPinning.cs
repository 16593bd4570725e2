using BpfLoader.Diagnostics;
using BpfLoader.Interop;
using BpfLoader.Kernel;
using BpfLoader.Maps;

namespace BpfLoader.Objects;

/// <summary>
/// <c>pinning = LIBBPF_PIN_BY_NAME</c>: a map is pinned at &lt;pin root&gt;/&lt;name&gt;; an existing pinned map with the
/// same definition is reused instead of creating a new one, an incompatible one is refused.
/// </summary>
internal static class MapPinning
{
    public static string PathOf(BpfObject obj, BpfMap map) => map.PinPath ?? System.IO.Path.Combine(obj.Options.PinRoot, map.Name);

    public static bool TryReuse(BpfObject obj, BpfMap map)
    {
        string path = PathOf(obj, map);
        int fd = BpfSyscall.TryObjGet(path);
        if (fd == -Errno.ENOENT)
            return false;
        if (fd < 0)
        {
            LibbpfLog.Warn($"couldn't retrieve pinned map '{path}': {Errno.Str(fd)}");
            throw LibbpfError.Syscall($"map '{map.Name}': error reusing pinned map", $"map '{map.Name}': open pinned map '{path}'", -fd);
        }
        var info = MapInfo.Read(fd, out int infoError);
        if (info is null)
            LibbpfLog.Warn($"failed to get map info for map FD {fd}: {Errno.Str(infoError)}");
        if (info is null || info.Type != map.Type || info.KeySize != map.KeySize || info.ValueSize != map.ValueSize
            || info.MaxEntries != map.MaxEntries || info.Flags != map.Flags)
        {
            Native.Close(fd);
            LibbpfLog.Warn($"couldn't reuse pinned map at '{path}': parameter mismatch");
            throw LibbpfError.Log($"map '{map.Name}': error reusing pinned map", new BpfException($"map '{map.Name}': pinned map at '{path}' is incompatible (type, key/value size, max_entries or flags differ)", Errno.EINVAL));
        }
        MapCreator.MoveOntoPlaceholder(fd, map.Fd, $"map '{map.Name}'");
        map.MarkCreated();
        LibbpfLog.Debug($"reused pinned map at '{path}'");
        return true;
    }

    public static void Pin(BpfObject obj, BpfMap map)
    {
        string path = PathOf(obj, map);
        int r = MakeParentDirectory(path);
        if (r == 0)
            r = CheckOnBpfFs(path);
        if (r == 0)
            r = BpfSyscall.TryPin(map.Fd, path);
        if (r < 0)
        {
            throw LibbpfError.Syscall($"map '{map.Name}': failed to auto-pin at '{path}': {Errno.Str(r)}", $"map '{map.Name}': pin at '{path}'", -r);
        }
        map.PinPath = path;
        map.PinnedByLoad = true;
        LibbpfLog.Debug($"pinned map '{path}'");
    }

    /// <summary>After a failed load: the pins this load made are removed (libbpf's unpin on the error path); reused pins stay.</summary>
    public static void UnpinAfterFailure(BpfObject obj)
    {
        foreach (var map in obj.Maps.Where(m => m.PinnedByLoad && m.PinPath is not null))
        {
            try
            {
                File.Delete(map.PinPath!);
                LibbpfLog.Debug($"unpinned map '{map.Name}' from '{map.PinPath}'");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                LibbpfLog.Debug($"map '{map.Name}': failed to unpin '{map.PinPath}': {e.Message}");
            }
            map.PinnedByLoad = false;
        }
    }

    /// <summary>libbpf's make_parent_dir: the pin's folder is created (one level, mode 0700) when missing.</summary>
    private static int MakeParentDirectory(string path)
    {
        string? dir = System.IO.Path.GetDirectoryName(path);
        if (string.IsNullOrEmpty(dir))
            return 0;
        int r = Native.MkdirOrErrno(dir, 0x1c0 /* 0700 */);
        if (r == 0 || r == -Errno.EEXIST)
            return 0;
        LibbpfLog.Warn($"failed to mkdir {path}: {Errno.Str(r)}");
        return r;
    }

    /// <summary>libbpf's check_path: a pin must go into a bpf file system; anywhere else is -EINVAL with libbpf's line.</summary>
    private static int CheckOnBpfFs(string path)
    {
        string dir = System.IO.Path.GetDirectoryName(path) is { Length: > 0 } d ? d : ".";
        long type = Native.FileSystemTypeOrErrno(dir);
        if (type < 0)
        {
            LibbpfLog.Warn($"failed to statfs {dir}: {Errno.Str((int)type)}");
            return (int)type;
        }
        if (type != Native.BpfFsMagic)
        {
            LibbpfLog.Warn($"specified path {path} is not on BPF FS");
            return -Errno.EINVAL;
        }
        return 0;
    }
}
