using BpfTests.Vmtest.Exec;

namespace BpfTests.Vmtest.Run;

/// <summary>Checks that fail fast, with the reason, instead of after a boot.</summary>
public static class Preflight
{
    /// <summary>
    /// The guest sees the host's root file system only (a non-recursive bind): the repository, the
    /// cache and the .NET installation must not live on another mount.
    /// </summary>
    public static void CheckVisibleInGuest(params string[] paths)
    {
        var dotnet = Path.GetDirectoryName(Environment.ProcessPath ?? "/usr/bin/dotnet")!;
        foreach (var p in paths.Append(dotnet))
        {
            var mount = MountPointOf(p);
            if (mount != "/")
                throw new VmtestException($"{p} is on the mount {mount}, which the guest cannot see (only the host's / is exported, without submounts); move it to the root file system");
        }
    }

    /// <summary>The longest mount point in /proc/self/mountinfo that contains the path.</summary>
    internal static string MountPointOf(string path)
    {
        var full = Path.GetFullPath(path);
        var real = new FileInfo(full).ResolveLinkTarget(true)?.FullName ?? full;
        var best = "/";
        foreach (var line in File.ReadLines("/proc/self/mountinfo"))
        {
            var mp = line.Split(' ')[4].Replace("\\040", " ");
            if ((real == mp || real.StartsWith(mp.TrimEnd('/') + "/")) && mp.Length > best.Length) best = mp;
        }
        return best;
    }
}
