namespace BpfTests;

/// <summary>The BPF objects the build compiled from progs/*.bpf.c, copied next to the tests.</summary>
public static class Progs
{
    public static string Directory => System.IO.Path.Combine(AppContext.BaseDirectory, "progs");

    public static string Path(string name) => System.IO.Path.Combine(Directory, name + ".bpf.o");

    public static IEnumerable<string> All() => System.IO.Directory.EnumerateFiles(Directory, "*.bpf.o").Order(StringComparer.Ordinal);
}
