namespace BpfTests.Vmtest.Provision;

/// <summary>
/// An unpacked Debian kernel in the cache. Debian moved the image from /boot to
/// /usr/lib/modules/&lt;release&gt;/vmlinuz (7.2), so every path is found, not assumed.
/// </summary>
public sealed record KernelTree(KernelPin Pin, string Root)
{
    public string Series => Pin.Series;
    public string Release => Pin.Release;

    public string Vmlinuz => First(Path.Combine(Root, "boot", "vmlinuz-" + Release), Path.Combine(Root, "usr", "lib", "modules", Release, "vmlinuz"));
    public string ModulesDir => First(Path.Combine(Root, "lib", "modules", Release), Path.Combine(Root, "usr", "lib", "modules", Release));
    /// <summary>depmod -b wants the directory above lib/modules.</summary>
    public string DepmodBase => Path.GetFullPath(Path.Combine(ModulesDir, "..", "..", ".."));
    public string HeadersDir => Path.Combine(Root, "usr", "src", "linux-headers-" + Release);
    /// <summary>The headers' .config is the kernel's config (7.2's image packages ship no /boot/config).</summary>
    public string Config => Path.Combine(HeadersDir, ".config");

    public bool ConfigHas(string option, string value = "y") =>
        File.ReadLines(Config).Any(l => l == $"{option}={value}");

    private static string First(params string[] candidates) =>
        candidates.FirstOrDefault(File.Exists) ?? candidates.FirstOrDefault(Directory.Exists) ?? candidates[0];
}
