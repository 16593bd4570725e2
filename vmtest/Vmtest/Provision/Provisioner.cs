using BpfTests.Vmtest.Exec;

namespace BpfTests.Vmtest.Provision;

/// <summary>
/// Makes sure everything a kernel run needs is in the cache, building what is missing with the
/// project's own steps: apt-get download, dpkg-deb -x, depmod, debootstrap, kmod/*.sh.
/// </summary>
public sealed class Provisioner(VmtestPaths paths, LockFile lockFile, Action<string> log)
{
    private readonly AptSource _apt = new(paths);

    public VmtestPaths Paths => paths;
    public LockFile Lock => lockFile;

    public async Task<KernelTree> KernelAsync(KernelPin pin, CancellationToken ct = default)
    {
        var dir = Path.Combine(paths.Kernels, $"{pin.Release}_{pin.Version}");
        await CacheEntry.EnsureAsync(dir, async (tmp, c) =>
        {
            log($"kernel {pin.Series}: fetching {string.Join(' ', pin.Packages)}");
            var debs = await _apt.DownloadAsync(pin.Packages, c);
            await AptSource.ExtractAsync(debs, tmp, c);
            var tree = new KernelTree(pin, tmp);
            // modules.dep for modprobe in the guest and for picking the initramfs modules
            await ProcessRunner.CheckedAsync(new ProcessSpec("depmod", ["-b", tree.DepmodBase, pin.Release]), TimeSpan.FromMinutes(2), c);
            // headers Makefile -> unpacked -common tree; vmlinux for module BTF (6.1)
            await ProcessRunner.CheckedAsync(new ProcessSpec(Path.Combine(paths.KmodDir, "prepare-headers.sh"), [tmp, pin.Release]), TimeSpan.FromMinutes(5), c);
            // prepare-headers.sh wrote the temporary root into the Makefile: point it at the final name
            var mk = Path.Combine(tree.HeadersDir, "Makefile");
            File.WriteAllText(mk, File.ReadAllText(mk).Replace(tmp + "/", dir + "/"));
        }, ct);
        return new KernelTree(pin, dir);
    }

    public async Task<QemuInstall> QemuAsync(CancellationToken ct = default)
    {
        var version = lockFile.Qemu.First(p => p.Name == "qemu-system-x86").Version;
        var dir = Path.Combine(paths.Qemu, version.Replace(':', '_'));
        await CacheEntry.EnsureAsync(dir, async (tmp, c) =>
        {
            log($"qemu: fetching {string.Join(' ', lockFile.Qemu)}");
            await AptSource.ExtractAsync(await _apt.DownloadAsync(lockFile.Qemu, c), tmp, c);
        }, ct);
        var q = new QemuInstall(dir);
        if (!File.Exists(q.Binary)) throw new VmtestException($"no {q.Binary} in the qemu cache entry");
        if (!File.Exists(QemuInstall.Virtiofsd))
            throw new VmtestException($"{QemuInstall.Virtiofsd} is missing: install bookworm's qemu-system-x86 (./run.sh setup does)");
        return q;
    }

    /// <summary>The debootstrap build root for kernels whose kbuild needs a newer toolchain.</summary>
    public async Task<string> BuildRootAsync(string name, CancellationToken ct = default)
    {
        var pin = lockFile.BuildRoots.FirstOrDefault(b => b.Name == name) ?? throw new VmtestException($"no [buildroot {name}] in the lock file");
        var key = string.Join('_', pin.Expect.Select(e => e.Name + "-" + e.Version.Replace(':', '_').Replace('~', '_')));
        var dir = Path.Combine(paths.BuildRoots, $"{pin.Name}-{key}");
        await CacheEntry.EnsureAsync(dir, async (tmp, c) =>
        {
            var mirror = await AptSource.SystemMirrorAsync(c);
            log($"build root {name}: debootstrap {pin.Suite} ({pin.Include})");
            var r = await ProcessRunner.CheckedAsync(new ProcessSpec(Path.Combine(paths.KmodDir, "buildroot-sid.sh"), [tmp, mirror]), TimeSpan.FromMinutes(30), c);
            foreach (var e in pin.Expect)
                if (!r.Output.Contains($"{e.Name}\t{e.Version}") && !r.Output.Contains($"{e.Name}:amd64\t{e.Version}"))
                    log($"build root {name}: note: {e.Name} is not {e.Version} as the lock expects (the suite moved); see {tmp}/.bpftests-toolchain");
        }, ct);
        return dir;
    }

    /// <summary>
    /// A reference library (lock file [reference NAME]) unpacked at CACHE/NAME, e.g. /var/cache/bpftests/libbpf-1.7,
    /// which guests see at the same path (the host's / is their lower root). Its .packages file records the
    /// pinned versions; an entry made from other versions is replaced.
    /// </summary>
    public async Task<string> ReferenceAsync(string name, CancellationToken ct = default)
    {
        var pin = lockFile.References.FirstOrDefault(r => r.Name == name) ?? throw new VmtestException($"no [reference {name}] in the lock file");
        var dir = Path.Combine(paths.CacheRoot, pin.Name);
        var manifest = string.Join('\n', pin.Packages.Select(p => p.ToString())) + "\n";
        var recorded = Path.Combine(dir, ".packages");
        if (Directory.Exists(dir) && (!File.Exists(recorded) || File.ReadAllText(recorded) != manifest))
        {
            log($"reference {name}: the lock file pins other versions; unpacking again");
            await CacheEntry.RemoveTreeAsync(dir);
        }
        await CacheEntry.EnsureAsync(dir, async (tmp, c) =>
        {
            log($"reference {name}: fetching {string.Join(' ', pin.Packages)}");
            await AptSource.ExtractAsync(await _apt.DownloadAsync(pin.Packages, c), tmp, c);
            File.WriteAllText(Path.Combine(tmp, ".packages"), manifest);
        }, ct);
        return dir;
    }

    /// <summary>bpf_testmod.ko for one kernel, cached by kernel version and module source hash.</summary>
    public async Task<string> TestmodAsync(KernelTree kernel, CancellationToken ct = default)
    {
        var sources = new[] { "bpf_testmod.c", "bpf_testmod.h", "Kbuild", "build.sh" }.Select(f => Path.Combine(paths.KmodDir, f));
        var hash = Hashing.OfFiles(sources)[..16];
        var dir = Path.Combine(paths.Modules, $"{kernel.Release}_{kernel.Pin.Version}_{hash}");
        string? root = kernel.Pin.BuildRoot == null ? null : await BuildRootAsync(kernel.Pin.BuildRoot, ct);
        await CacheEntry.EnsureAsync(dir, async (tmp, c) =>
        {
            log($"kernel {kernel.Series}: building bpf_testmod.ko{(root != null ? " in the " + kernel.Pin.BuildRoot + " build root" : "")}");
            string[] args = root == null ? [kernel.Root, kernel.Release, tmp] : [kernel.Root, kernel.Release, tmp, root];
            await ProcessRunner.CheckedAsync(new ProcessSpec(Path.Combine(paths.KmodDir, "build.sh"), args), TimeSpan.FromMinutes(10), c);
        }, ct);
        return Path.Combine(dir, "bpf_testmod.ko");
    }
}

/// <summary>QEMU 10 unpacked from bookworm-backports, plus the system's C virtiofsd.</summary>
public sealed record QemuInstall(string Root)
{
    public const string Virtiofsd = "/usr/lib/qemu/virtiofsd";
    public string Binary => Path.Combine(Root, "usr", "bin", "qemu-system-x86_64");
    /// <summary>Firmware search path: the cached seabios first, then QEMU's own data.</summary>
    public IEnumerable<string> FirmwareArgs => ["-L", Path.Combine(Root, "usr", "share", "seabios"), "-L", Path.Combine(Root, "usr", "share", "qemu")];
}
