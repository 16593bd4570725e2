namespace BpfTests.Vmtest.Provision;

/// <summary>One Debian package at an exact version.</summary>
public sealed record PinnedPackage(string Name, string Version)
{
    public override string ToString() => $"{Name}={Version}";
}

/// <summary>A kernel of the matrix: its series (6.1, 6.12, 7.2), uname release and packages.</summary>
public sealed record KernelPin(string Series, string Suite, string Release, IReadOnlyList<PinnedPackage> Packages)
{
    /// <summary>The version of the first (image or binary) package: the cache key together with the release.</summary>
    public string Version => Packages[0].Version;
    /// <summary>Module builds for this kernel run in this build root (null: on the host).</summary>
    public string? BuildRoot { get; init; }
}

public sealed record BuildRootPin(string Name, string Suite, string Include, IReadOnlyList<PinnedPackage> Expect);

/// <summary>
/// A reference library unpacked into the cache under its name (e.g. libbpf-1.7): its packages plus the
/// runtime libraries of the same suite it needs (run through that suite's dynamic loader).
/// </summary>
public sealed record ReferencePin(string Name, string Suite, IReadOnlyList<PinnedPackage> Packages);

/// <summary>
/// vmtest/vmtest.lock: exact package versions, so every machine boots the same kernels.
/// Format: "[kernel 6.12]", "[qemu]", "[buildroot sid]", "[reference libbpf-1.7]" sections of "key = value" lines;
/// "package = name version" may repeat. '#' starts a comment.
/// </summary>
public sealed class LockFile
{
    public required IReadOnlyList<KernelPin> Kernels { get; init; }
    public required string QemuSuite { get; init; }
    public required IReadOnlyList<PinnedPackage> Qemu { get; init; }
    public required IReadOnlyList<BuildRootPin> BuildRoots { get; init; }
    public IReadOnlyList<ReferencePin> References { get; init; } = [];

    public KernelPin Kernel(string series) =>
        Kernels.FirstOrDefault(k => k.Series == series)
        ?? throw new Exec.VmtestException($"no kernel '{series}' in the lock file (have: {string.Join(", ", Kernels.Select(k => k.Series))})");

    public static LockFile Load(string path) => Parse(File.ReadAllLines(path), path);

    public static LockFile Parse(IEnumerable<string> lines, string source = "vmtest.lock")
    {
        var sections = new List<(string Head, List<(string Key, string Value)> Items)>();
        var n = 0;
        foreach (var raw in lines)
        {
            n++;
            var line = raw.Split('#')[0].Trim();
            if (line.Length == 0) continue;
            if (line.StartsWith('[') && line.EndsWith(']')) { sections.Add((line[1..^1].Trim(), new())); continue; }
            var eq = line.IndexOf('=');
            if (eq < 0 || sections.Count == 0) throw new Exec.VmtestException($"{source}:{n}: expected 'key = value' inside a [section]");
            sections[^1].Items.Add((line[..eq].Trim(), line[(eq + 1)..].Trim()));
        }

        var kernels = new List<KernelPin>();
        var roots = new List<BuildRootPin>();
        var references = new List<ReferencePin>();
        string? qemuSuite = null;
        var qemu = new List<PinnedPackage>();
        foreach (var (head, items) in sections)
        {
            string One(string key) => items.FirstOrDefault(i => i.Key == key).Value ?? throw new Exec.VmtestException($"{source}: [{head}] lacks '{key}'");
            string? Opt(string key) => items.FirstOrDefault(i => i.Key == key).Value;
            List<PinnedPackage> Pkgs(string key) => items.Where(i => i.Key == key).Select(i =>
            {
                var p = i.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (p.Length != 2) throw new Exec.VmtestException($"{source}: [{head}] {key} = '{i.Value}': expected 'name version'");
                return new PinnedPackage(p[0], p[1]);
            }).ToList();

            var words = head.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            switch (words[0])
            {
                case "kernel" when words.Length == 2:
                    kernels.Add(new KernelPin(words[1], One("suite"), One("release"), Pkgs("package")) { BuildRoot = Opt("buildroot") });
                    break;
                case "qemu":
                    qemuSuite = One("suite");
                    qemu.AddRange(Pkgs("package"));
                    break;
                case "buildroot" when words.Length == 2:
                    roots.Add(new BuildRootPin(words[1], One("suite"), One("include"), Pkgs("expect")));
                    break;
                case "reference" when words.Length == 2:
                    references.Add(new ReferencePin(words[1], One("suite"), Pkgs("package")));
                    break;
                default:
                    throw new Exec.VmtestException($"{source}: unknown section [{head}]");
            }
        }
        if (kernels.Any(k => k.Packages.Count == 0)) throw new Exec.VmtestException($"{source}: a kernel without packages");
        return new LockFile { Kernels = kernels, QemuSuite = qemuSuite ?? "", Qemu = qemu, BuildRoots = roots, References = references };
    }
}
