using BpfTests.Vmtest.Exec;

namespace BpfTests.Vmtest.Provision;

/// <summary>
/// A private apt configuration under the cache that reaches bookworm, bookworm-backports and sid
/// through the same mirror as the machine's own apt sources. The system's /etc/apt is only read.
/// </summary>
public sealed class AptSource(VmtestPaths paths)
{
    private static readonly string[] Suites = ["bookworm", "bookworm-backports", "sid"];
    private const string Keyring = "/usr/share/keyrings/debian-archive-keyring.gpg";
    private bool _updated;

    public string ConfigFile => Path.Combine(paths.Apt, "apt.conf");

    /// <summary>
    /// The mirror URI of the system's Debian main archive, from apt's own view of its sources
    /// (apt-get indextargets), so deb822 and one-line formats both work.
    /// </summary>
    public static async Task<string> SystemMirrorAsync(CancellationToken ct = default)
    {
        var r = await ProcessRunner.CheckedAsync(new ProcessSpec("apt-get", ["indextargets", "--format", "$(REPO_URI) $(RELEASE) $(TARGET_OF)"])
            { Environment = new Dictionary<string, string?> { ["APT_CONFIG"] = null } }, TimeSpan.FromMinutes(1), ct);
        var rows = r.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')).Where(p => p.Length == 3 && p[2] == "deb").ToList();
        var uri = rows.FirstOrDefault(p => p[1] == "bookworm")?[0]
                  ?? rows.FirstOrDefault(p => !p[1].Contains("security") && !p[1].Contains('-'))?[0]
                  ?? throw new VmtestException("no Debian main archive in the system's apt sources (apt-get indextargets); run apt-get update first");
        return uri;
    }

    /// <summary>Writes the private config (idempotent) and runs apt-get update once per process.</summary>
    public async Task EnsureUpdatedAsync(CancellationToken ct = default)
    {
        if (_updated) return;
        var mirror = await SystemMirrorAsync(ct);
        var etc = Path.Combine(paths.Apt, "etc");
        foreach (var d in new[] { Path.Combine(etc, "sources.list.d"), Path.Combine(etc, "preferences.d"), Path.Combine(paths.Apt, "state", "lists", "partial"), Path.Combine(paths.Apt, "cache", "archives", "partial") })
            Directory.CreateDirectory(d);
        File.WriteAllLines(Path.Combine(etc, "sources.list"), Suites.Select(s => $"deb [signed-by={Keyring}] {mirror} {s} main"));
        File.WriteAllText(ConfigFile, string.Join('\n',
            $"Dir::Etc::sourcelist \"{etc}/sources.list\";",
            $"Dir::Etc::sourceparts \"{etc}/sources.list.d\";",
            $"Dir::Etc::preferencesparts \"{etc}/preferences.d\";",
            $"Dir::State \"{paths.Apt}/state\";",
            $"Dir::Cache \"{paths.Apt}/cache\";",
            // the mirror may serve a frozen snapshot whose Release files are past Valid-Until
            "Acquire::Check-Valid-Until \"false\";",
            // apt-get download runs as root into our directory; no _apt sandbox warnings
            "APT::Sandbox::User \"root\";",
            "") );
        await using (await CacheEntry.AcquireAsync(Path.Combine(paths.Apt, "update.lock"), ct))
            await ProcessRunner.CheckedAsync(Spec("update", "-qq"), TimeSpan.FromMinutes(10), ct);
        _updated = true;
    }

    public ProcessSpec Spec(params string[] args) =>
        new("apt-get", args) { Environment = new Dictionary<string, string?> { ["APT_CONFIG"] = ConfigFile, ["DEBIAN_FRONTEND"] = "noninteractive" } };

    /// <summary>apt-cache through the private config (policy, search, show).</summary>
    public async Task<string> CacheQueryAsync(CancellationToken ct, params string[] args)
    {
        await EnsureUpdatedAsync(ct);
        var r = await ProcessRunner.CheckedAsync(new ProcessSpec("apt-cache", args) { Environment = new Dictionary<string, string?> { ["APT_CONFIG"] = ConfigFile } }, TimeSpan.FromMinutes(2), ct);
        return r.Output;
    }

    /// <summary>
    /// The .deb files of exactly these versions, downloaded once into the cache's debs/ folder.
    /// </summary>
    public async Task<IReadOnlyList<string>> DownloadAsync(IReadOnlyList<PinnedPackage> packages, CancellationToken ct = default)
    {
        Directory.CreateDirectory(paths.Debs);
        string? FileOf(PinnedPackage p) => Directory.EnumerateFiles(paths.Debs, $"{p.Name}_*.deb")
            .FirstOrDefault(f => Uri.UnescapeDataString(Path.GetFileName(f)).StartsWith($"{p.Name}_{p.Version}_"));
        // A cached copy that no longer has its recorded checksum is fetched again.
        foreach (var p in packages)
        {
            if (FileOf(p) is { } cached && DebChecksums.Check(cached) == DebChecksums.State.Corrupt)
            {
                Console.Error.WriteLine($"vmtest: {Path.GetFileName(cached)} does not match its recorded SHA-256: downloading it again");
                DebChecksums.Discard(cached);
            }
        }
        var missing = packages.Where(p => FileOf(p) == null).ToList();
        if (missing.Count > 0)
        {
            await EnsureUpdatedAsync(ct);
            var tmp = Path.Combine(paths.Debs, $".download-{Environment.ProcessId}");
            Directory.CreateDirectory(tmp);
            try
            {
                await ProcessRunner.CheckedAsync(Spec(["download", "-qq", .. missing.Select(p => p.ToString())]) with { WorkingDirectory = tmp }, TimeSpan.FromMinutes(15), ct);
                foreach (var f in Directory.GetFiles(tmp))
                {
                    var cached = Path.Combine(paths.Debs, Path.GetFileName(f));
                    File.Move(f, cached, overwrite: true);
                    DebChecksums.Record(cached); // apt has just verified it against the signed index
                }
            }
            finally { Directory.Delete(tmp, true); }
        }
        return packages.Select(p => FileOf(p) ?? throw new VmtestException($"apt-get download did not produce {p}")).ToList();
    }

    /// <summary>Unpacks .deb files into a directory (dpkg-deb -x: no maintainer scripts, no dpkg database).</summary>
    public static async Task ExtractAsync(IEnumerable<string> debs, string into, CancellationToken ct = default)
    {
        foreach (var deb in debs)
            await ProcessRunner.CheckedAsync(new ProcessSpec("dpkg-deb", ["-x", deb, into]), TimeSpan.FromMinutes(5), ct);
    }
}
