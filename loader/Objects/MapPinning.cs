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
            throw LibbpfError.Syscall($"map '{map.Name}': error reusing pinned map", $"map '{map.Name}': open pinned map '{path}'", -fd);
        }
        var info = MapInfo.Read(fd);
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
        int r = BpfSyscall.TryPin(map.Fd, path);
        if (r < 0)
        {
            throw LibbpfError.Syscall($"map '{map.Name}': failed to auto-pin at '{path}': {Errno.Str(r)}", $"map '{map.Name}': pin at '{path}'", -r);
        }
        map.PinPath = path;
        LibbpfLog.Debug($"pinned map '{path}'");
    }
}
