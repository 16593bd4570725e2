namespace BpfTests;

/// <summary>The BPF objects the build compiled from progs/*.bpf.c, copied next to the tests.</summary>
public static class Progs
{
    public static string Directory => System.IO.Path.Combine(AppContext.BaseDirectory, "progs");

    public static string Path(string name) => System.IO.Path.Combine(Directory, name + ".bpf.o");

    /// <summary>
    /// The C source of an object, found through the path clang recorded in its line info: the tests may run
    /// from another output folder (the vmtest guest executable) while the source tree stays where it was built.
    /// </summary>
    public static string Source(string name)
    {
        var elf = BpfLoader.Elf.ElfFile.Open(Path(name));
        var btf = BpfLoader.Btf.Btf.Parse(elf.FindSection(".BTF")!.Data.ToArray(), null, name);
        var ext = BpfLoader.Btf.BtfExt.Parse(elf.FindSection(".BTF.ext")!.Data, btf, name);
        return btf.GetString(ext.LineInfoSections[0].Records[0].FileNameOff);
    }

    public static IEnumerable<string> All() => System.IO.Directory.EnumerateFiles(Directory, "*.bpf.o").Order(StringComparer.Ordinal);
}
