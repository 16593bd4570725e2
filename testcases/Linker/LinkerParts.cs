using BpfLoader.Linker;

namespace BpfTests.Linker;

/// <summary>
/// The compiled parts the linker tests link (progs/linked/*.bpf.o, including the subskeleton sources), the
/// bpftool references built from them (progs/linked/ref/), and a scratch directory for our outputs.
/// </summary>
internal static class LinkerParts
{
    public static string Directory => Path.Combine(Progs.Directory, "linked");

    public static string Part(string name) => Path.Combine(Directory, name + ".bpf.o");

    /// <summary>Debian bpftool's link of the same parts (reference only), named like ours so object names agree.</summary>
    public static string Reference(string name) => Path.Combine(Directory, "ref", name + ".o");

    /// <summary>
    /// Links <paramref name="parts"/> (part names, or paths) with our linker into a fresh scratch file named
    /// <paramref name="name"/>.o.
    /// </summary>
    public static string Link(string name, params string[] parts)
    {
        string output = Path.Combine(Scratch(), name + ".o");
        BpfLinker.LinkFiles(output, parts.Select(p => p.Contains('/') ? p : Part(p)).ToList());
        return output;
    }

    /// <summary>
    /// Links three times as upstream's Makefile does (parts → 1 → 2 → 3, the re-links re-derive DATASEC offsets
    /// of overridden weak variables from their symbols); returns the last and checks that it reproduced itself.
    /// </summary>
    public static string LinkThrice(string name, params string[] parts)
    {
        string first = Link(name, parts);
        string second = Link(name, first);
        string third = Link(name, second);
        if (!File.ReadAllBytes(second).AsSpan().SequenceEqual(File.ReadAllBytes(third)))
            throw new InvalidOperationException($"re-linking '{name}' is not idempotent: link 2 and link 3 differ");
        return third;
    }

    /// <summary>A new empty directory under the temp folder, removed at process exit.</summary>
    public static string Scratch()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"bpftests-linker-{Environment.ProcessId}", Guid.NewGuid().ToString("N")[..8]);
        System.IO.Directory.CreateDirectory(dir);
        return dir;
    }

    static LinkerParts()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            string root = Path.Combine(Path.GetTempPath(), $"bpftests-linker-{Environment.ProcessId}");
            if (System.IO.Directory.Exists(root))
                System.IO.Directory.Delete(root, recursive: true);
        };
    }
}
