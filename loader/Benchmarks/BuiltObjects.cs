namespace BpfLoader.Benchmarks;

/// <summary>Where the test build leaves the compiled progs/ objects (build testcases/BpfTests.csproj first).</summary>
internal static class BuiltObjects
{
    /// <summary>The directory of the test build's progs/ objects (subfolders as in progs/).</summary>
    public static string Directory
    {
        get
        {
            string root = RepositoryRoot();
            string[] candidates = [Path.Combine(root, "testcases", "bin", "Release", "net10.0", "progs"), Path.Combine(root, "testcases", "obj", "bpf", "obj")];
            return candidates.FirstOrDefault(d => File.Exists(Path.Combine(d, "minimal.bpf.o")))
                ?? throw new InvalidOperationException($"no built progs/ objects in {string.Join(" or ", candidates)}: build testcases/BpfTests.csproj first");
        }
    }

    /// <summary>Every built object, in a stable order.</summary>
    public static IReadOnlyList<string> All() =>
        System.IO.Directory.EnumerateFiles(Directory, "*.bpf.o", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "BpfTests.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException("run the benchmarks from the repository's build output");
    }
}
