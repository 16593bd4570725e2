using BpfLoader.Diagnostics;
using BpfLoader.Interop;
using BpfLoader.Kernel;
using BpfLoader.Links;
using BpfLoader.Maps;

namespace BpfLoader.StructOps;

/// <summary>
/// A registered struct_ops map. For <c>.struct_ops.link</c> maps it is a real BPF link (BPF_LINK_CREATE with
/// BPF_STRUCT_OPS): disposing it unregisters, <see cref="BpfLink.Detach"/> detaches, <see cref="UpdateMap"/>
/// switches to another map. For plain <c>.struct_ops</c> maps registration happened on the map update, and
/// disposing deletes the map's element, which unregisters (libbpf's link "without a real link").
/// </summary>
public sealed class StructOpsLink : BpfLink
{
    private bool _unregistered;

    internal StructOpsLink(FileDescriptor fd, BpfMap map, bool isKernelLink)
        : base(fd, $"struct_ops map '{map.Name}'", isKernelLink)
    {
        Map = map;
    }

    /// <summary>The registered struct_ops map.</summary>
    public BpfMap Map { get; private set; }

    /// <summary>BPF_LINK_UPDATE to <paramref name="newMap"/> (its value is written first, as libbpf does).</summary>
    public void UpdateMap(BpfMap newMap)
    {
        if (!IsKernelLink)
            throw new BpfException($"struct_ops map '{Map.Name}': only .struct_ops.link maps can be updated through a link", Errno.EOPNOTSUPP);
        StructOpsAttach.WriteValue(newMap, tolerateBusy: true);
        Update(newMap.Fd);
        Map = newMap;
    }

    /// <summary>Unregisters the struct_ops (the map stays).</summary>
    public override void Detach()
    {
        if (IsKernelLink)
        {
            base.Detach();
            return;
        }
        Unregister();
    }

    /// <summary>Unregisters the struct_ops and releases the link.</summary>
    public override void Dispose()
    {
        if (!IsKernelLink && !IsDisposed)
            Unregister();
        base.Dispose();
    }

    private void Unregister()
    {
        if (_unregistered)
            return;
        _unregistered = true;
        int r = BpfSyscall.TryMapDelete(Fd, stackalloc byte[4]);
        if (r < 0 && r != -Errno.ENOENT)
            throw new BpfSyscallException($"struct_ops map '{Map.Name}': unregister", -r);
    }
}

/// <summary>libbpf's <c>bpf_map__attach_struct_ops</c>.</summary>
public static class StructOpsAttach
{
    /// <summary>Registers struct_ops map <paramref name="map"/> (a map update, or a link for <c>.struct_ops.link</c> maps).</summary>
    public static StructOpsLink AttachStructOps(this BpfMap map)
    {
        if (map.Type != BpfMapType.StructOps || map.StructOps is null)
            throw LibbpfError.Log($"map '{map.Name}': can't attach non-struct_ops map", Errno.EINVAL);
        if (map.Fd < 0)
            throw LibbpfError.Log($"map '{map.Name}': can't attach BPF map without FD (was it created?)", Errno.EINVAL);
        // Before load the fd is only the placeholder: updating it would surface as the kernel's -EINVAL, which
        // does not tell the caller that the object was never loaded. (A map left out with autocreate off, after
        // load, still reaches the kernel's error as in libbpf.)
        if (map.ObjectName is { } objName && !map.ObjectLoaded)
            throw LibbpfError.Log($"map '{map.Name}': can't attach struct_ops map before its object '{objName}' is loaded", Errno.EINVAL);
        bool link = (map.Flags & BpfFlags.Link) != 0;
        WriteValue(map, tolerateBusy: link);
        if (!link)
        {
            int dup = Native.DupCloexec(map.Fd);
            return new StructOpsLink(new FileDescriptor(dup), map, isKernelLink: false);
        }
        var attr = new LinkCreateAttr { ProgOrMapFd = (uint)map.Fd, AttachType = (uint)BpfAttachType.StructOps };
        int fd = BpfSyscall.TryLinkCreate(ref attr);
        if (fd < 0)
            throw LibbpfError.Log($"map '{map.Name}': failed to attach struct_ops: {Errno.Str(fd)}", -fd);
        return new StructOpsLink(new FileDescriptor(fd), map, isKernelLink: true);
    }

    /// <summary>Updates element 0 with the kernel value (program fds filled in); the kernel registers plain maps here.</summary>
    internal static void WriteValue(BpfMap map, bool tolerateBusy)
    {
        var kernel = map.StructOps?.Kernel;
        if (kernel is null)
        {
            // Not initialised (autocreate off): the kernel's own error from the update is what libbpf reports too.
            int err = BpfSyscall.TryMapUpdate(map.Fd, stackalloc byte[4], new byte[Math.Max(1, (int)map.ValueSize)]);
            throw LibbpfError.Log($"map '{map.Name}': failed to update struct_ops value: {Errno.Str(err < 0 ? err : -Errno.EINVAL)}", err < 0 ? -err : Errno.EINVAL);
        }
        int r = BpfSyscall.TryMapUpdate(map.Fd, stackalloc byte[4], kernel.Value);
        if (r < 0 && !(tolerateBusy && r == -Errno.EBUSY))
            throw LibbpfError.Log($"map '{map.Name}': failed to update struct_ops value: {Errno.Str(r)}", -r);
    }}
