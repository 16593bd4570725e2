using System.Text.RegularExpressions;
using BpfTests.Vmtest.Provision;

namespace BpfTests.Vmtest.Run;

/// <summary>
/// The kernel's delay-loop calibration costs ~1.1 s under TCG. A first boot prints "lpj=N"
/// (dmesg); later boots on the same host pass it back and skip the calibration.
/// </summary>
public static partial class Lpj
{
    private static string FileOf(VmtestPaths p) => Path.Combine(p.CacheRoot, $"lpj-{Environment.MachineName}");

    public static string? Cached(VmtestPaths p) =>
        File.Exists(FileOf(p)) ? File.ReadAllText(FileOf(p)).Trim() is { Length: > 0 } v ? v : null : null;

    public static void Remember(VmtestPaths p, string dmesg)
    {
        if (Cached(p) != null) return;
        var m = LpjPattern().Match(dmesg);
        if (!m.Success) return;
        Directory.CreateDirectory(p.CacheRoot);
        File.WriteAllText(FileOf(p), m.Groups[1].Value + "\n");
    }

    [GeneratedRegex(@"\(lpj=(\d+)\)")]
    private static partial Regex LpjPattern();
}
