using BpfLoader.Diagnostics;
using BpfLoader.Maps;
using BpfLoader.Objects;
using BpfLoader.Programs;

namespace BpfLoader.Skeletons;

/// <summary>
/// Name lookups shared by skeletons and subskeletons (libbpf's <c>populate_skeleton_maps/progs</c>): a name
/// starting with '.' is a data section found by its section name, others by map or program name.
/// </summary>
internal static class SkeletonBinding
{
    public static BpfMap[] Maps(BpfObject obj, string[] names, string populateFailure)
    {
        var maps = new BpfMap[names.Length];
        for (int i = 0; i < names.Length; i++)
        {
            var map = names[i].StartsWith('.')
                ? obj.Maps.FirstOrDefault(m => m.IsInternal && m.SectionName == names[i])
                : obj.Maps.FirstOrDefault(m => m.Name == names[i]);
            maps[i] = map ?? throw NotFound($"failed to find skeleton map '{names[i]}'", populateFailure);
        }
        return maps;
    }

    public static BpfProgram[] Programs(BpfObject obj, string[] names, string populateFailure)
        => names.Select(n => obj.FindProgram(n) ?? throw NotFound($"failed to find skeleton program '{n}'", populateFailure)).ToArray();

    private static BpfException NotFound(string what, string populateFailure)
    {
        LibbpfLog.Warn(what);
        LibbpfLog.Warn($"{populateFailure}: {Errno.Str(-Errno.ESRCH)}");
        return new BpfException(what, Errno.ESRCH);
    }
}
