namespace BpfTests.Vmtest.Provision;

/// <summary>Where things live: the repository and the machine-wide cache.</summary>
public sealed record VmtestPaths(string RepoRoot, string CacheRoot)
{
    /// <summary>Env var overriding the cache root (default /var/cache/bpftests).</summary>
    public const string CacheVariable = "BPFTESTS_CACHE";

    public string LockFile => Path.Combine(RepoRoot, "vmtest", "vmtest.lock");
    public string KmodDir => Path.Combine(RepoRoot, "kmod");
    public string GuestDir => Path.Combine(RepoRoot, "vmtest", "guest");
    public string DenyListDir => Path.Combine(RepoRoot, "vmtest");
    public string ArtifactsRoot => Path.Combine(RepoRoot, "artifacts", "vmtest");

    public string Apt => Path.Combine(CacheRoot, "apt");
    public string Debs => Path.Combine(CacheRoot, "debs");
    public string Kernels => Path.Combine(CacheRoot, "kernels");
    public string Qemu => Path.Combine(CacheRoot, "qemu");
    public string BuildRoots => Path.Combine(CacheRoot, "buildroot");
    public string Modules => Path.Combine(CacheRoot, "kmod");
    public string Initramfs => Path.Combine(CacheRoot, "initramfs");

    /// <summary>Finds the repository from a directory inside it (the one holding BpfTests.sln).</summary>
    public static VmtestPaths Discover(string? start = null)
    {
        var dir = new DirectoryInfo(start ?? AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "BpfTests.sln"))) dir = dir.Parent;
        if (dir == null) throw new Exec.VmtestException("cannot find the repository root (BpfTests.sln) above " + (start ?? AppContext.BaseDirectory));
        var cache = Environment.GetEnvironmentVariable(CacheVariable);
        return new VmtestPaths(dir.FullName, string.IsNullOrEmpty(cache) ? "/var/cache/bpftests" : Path.GetFullPath(cache));
    }
}
