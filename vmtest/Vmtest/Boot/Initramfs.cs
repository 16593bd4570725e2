using BpfTests.Vmtest.Exec;
using BpfTests.Vmtest.Provision;

namespace BpfTests.Vmtest.Boot;

/// <summary>
/// The per-kernel initramfs: static busybox, our /init and stage1.sh, and the modules this
/// kernel needs to reach its root (virtio PCI, virtiofs, overlay) plus pvpanic and virtio-rng.
/// A module absent from modules.dep is taken as built in (7.2 ships no modules.builtin);
/// compressed modules are unpacked because busybox insmod wants plain .ko files.
/// </summary>
public static class Initramfs
{
    public const string Busybox = "/bin/busybox";

    /// <summary>What the guest must have, in load order (dependencies are added before each).</summary>
    public static readonly string[] Wanted = ["virtio_pci", "virtiofs", "overlay", "pvpanic_pci", "virtio_rng"];

    public static async Task<string> EnsureAsync(VmtestPaths paths, KernelTree kernel, CancellationToken ct = default)
    {
        var init = Path.Combine(paths.GuestDir, "init");
        var stage1 = Path.Combine(paths.GuestDir, "stage1.sh");
        if (!File.Exists(Busybox)) throw new VmtestException($"{Busybox} is missing: install busybox-static (./run.sh setup does)");
        var key = Hashing.OfFiles([init, stage1, Busybox, Path.Combine(kernel.ModulesDir, "modules.dep")])[..16];
        var dir = await CacheEntry.EnsureAsync(Path.Combine(paths.Initramfs, $"{kernel.Release}_{kernel.Pin.Version}_{key}"), async (tmp, c) =>
        {
            var modules = ResolveModules(File.ReadAllLines(Path.Combine(kernel.ModulesDir, "modules.dep")), Wanted);
            using var cpio = new CpioWriter(Path.Combine(tmp, "initramfs.img"));
            foreach (var d in new[] { "bin", "sbin", "dev", "proc", "sys", "modules", "lower", "upper", "newroot" }) cpio.Directory(d);
            cpio.File("bin/busybox", File.ReadAllBytes(Busybox), executable: true);
            cpio.File("init", File.ReadAllBytes(init), executable: true);
            cpio.File("stage1.sh", File.ReadAllBytes(stage1));
            var names = new List<string>();
            foreach (var rel in modules)
            {
                var name = PlainName(rel);
                cpio.File("modules/" + name, await DecompressAsync(Path.Combine(kernel.ModulesDir, rel), c));
                names.Add(name);
            }
            cpio.File("modules.list", System.Text.Encoding.ASCII.GetBytes(string.Join('\n', names) + "\n"));
        }, ct);
        return Path.Combine(dir, "initramfs.img");
    }

    /// <summary>
    /// modules.dep lines are "path: dep1 dep2 …" with the dependencies of dep1 after it, so a
    /// module's load order is its dependency list reversed, then itself.
    /// </summary>
    internal static List<string> ResolveModules(IEnumerable<string> modulesDep, IEnumerable<string> wanted)
    {
        var deps = new Dictionary<string, (string Path, string[] Deps)>();
        foreach (var line in modulesDep)
        {
            var colon = line.IndexOf(':');
            if (colon < 0) continue;
            var path = line[..colon];
            deps[ModuleName(path)] = (path, line[(colon + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        }
        var order = new List<string>();
        foreach (var w in wanted)
        {
            if (!deps.TryGetValue(w.Replace('-', '_'), out var m)) continue; // built in
            foreach (var d in m.Deps.Reverse().Append(m.Path))
                if (!order.Contains(d)) order.Add(d);
        }
        return order;
    }

    /// <summary>kernel/fs/fuse/virtiofs.ko.xz → virtiofs; dashes and underscores are one to modprobe.</summary>
    internal static string ModuleName(string path) => PlainName(path)[..^3].Replace('-', '_');

    private static string PlainName(string path)
    {
        var n = Path.GetFileName(path);
        foreach (var ext in new[] { ".xz", ".zst", ".gz" }) if (n.EndsWith(ext)) n = n[..^ext.Length];
        return n;
    }

    private static async Task<byte[]> DecompressAsync(string path, CancellationToken ct)
    {
        string? tool = Path.GetExtension(path) switch { ".xz" => "xz", ".zst" => "zstd", ".gz" => "gzip", _ => null };
        if (tool == null) return await File.ReadAllBytesAsync(path, ct);
        var tmp = Path.GetTempFileName();
        try
        {
            await ProcessRunner.CheckedAsync(new ProcessSpec("sh", ["-c", $"{tool} -dc \"$1\" > \"$2\"", "sh", path, tmp]), TimeSpan.FromMinutes(1), ct);
            return await File.ReadAllBytesAsync(tmp, ct);
        }
        finally { File.Delete(tmp); }
    }
}
