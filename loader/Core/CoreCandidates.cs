using System.Text;
using BpfLoader.Btf;
using BpfLoader.Diagnostics;
using BpfLoader.Kernel;

namespace BpfLoader.Core;

using Btf = BpfLoader.Btf.Btf;

/// <summary>A target type a local type may relocate to: which BTF (vmlinux or a module's), its id, and the BTF's name.</summary>
internal readonly record struct CoreCandidate(Btf Btf, int Id, string BtfName);

/// <summary>Where CO-RE looks for target types: vmlinux (or an override file), then module BTFs.</summary>
internal sealed class CoreTargets
{
    internal CoreTargets(Btf main, string mainName, Func<IReadOnlyList<(string Name, Btf Btf)>> modules, bool isOverride)
    {
        Main = main;
        MainName = mainName;
        Modules = modules;
        IsOverride = isOverride;
    }

    public Btf Main { get; }
    public string MainName { get; }
    /// <summary>Module BTFs (split on vmlinux), loaded lazily: only called when vmlinux has no candidate.</summary>
    public Func<IReadOnlyList<(string Name, Btf Btf)>> Modules { get; }
    public bool IsOverride { get; }

    /// <summary>The running kernel: the shared vmlinux BTF, and module BTFs loaded only if vmlinux has no candidate.</summary>
    public static CoreTargets Kernel()
        => new(Btf.KernelVmlinux, "vmlinux", () => KernelBtfs.Modules().Select(m => (m.Name, m.Btf)).ToList(), isOverride: false);

    /// <summary>libbpf's <c>btf_custom_path</c>: one BTF file replaces vmlinux, and modules are not searched.</summary>
    public static CoreTargets Override(Btf btf) => new(btf, "vmlinux", () => [], isOverride: true);
}

/// <summary>
/// libbpf's <c>bpf_core_find_cands</c>: every type in the target BTF whose kind is compatible with the local
/// type and whose flavor-less name equals the local one. vmlinux is searched first; module BTFs (their own
/// types only) only when vmlinux has none. Unlike libbpf's linear scan over all ~100k vmlinux types per local
/// type, the lookup goes through the BTF's name index plus its index of flavored names.
/// </summary>
internal static class CoreCandidates
{
    public static int Find(CoreTargets targets, Btf localBtf, int localId, out List<CoreCandidate> result)
    {
        result = [];
        if (!localBtf.TryGetType(localId, out var local))
            return -Errno.EINVAL;
        var localName = local.NameBytes;
        if (localName.IsEmpty)
            return -Errno.EINVAL;
        string essential = Encoding.UTF8.GetString(localName[..CoreNames.EssentialLength(localName)]);

        Add(local, localId, essential, targets.Main, targets.MainName, 1, result);
        if (result.Count > 0 || targets.IsOverride)
            return 0;
        foreach (var module in targets.Modules())
            Add(local, localId, essential, module.Btf, module.Name, module.Btf.StartId, result);
        return 0;
    }

    private static void Add(BtfType local, int localId, string essential, Btf targ, string targName, int startId, List<CoreCandidate> result)
    {
        var ids = new List<int>();
        foreach (int id in targ.FindAllByName(essential))
        {
            if (id >= startId)
                ids.Add(id);
        }
        foreach (int id in targ.FindOwnFlavored(essential))
        {
            if (id >= startId)
                ids.Add(id);
        }
        ids.Sort();
        int before = result.Count;
        foreach (int id in ids)
        {
            var t = targ[id];
            if (!CoreNames.KindsCompatible(t, local))
                continue;
            var name = t.NameBytes;
            if (name.IsEmpty || CoreNames.EssentialLength(name) != Encoding.UTF8.GetByteCount(essential))
                continue;
            if (result.Count > before && result[^1].Id == id)
                continue;
            result.Add(new CoreCandidate(targ, id, targName));
            LibbpfLog.Debug($"CO-RE relocating [{localId}] {CoreNames.KindString(local)} {local.Name}: found target candidate [{id}] {CoreNames.KindString(t)} {t.Name} in [{targName}]");
        }
    }
}
