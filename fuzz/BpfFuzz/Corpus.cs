using BpfLoader.Elf;

namespace BpfFuzz;

/// <summary>What an input is: a BPF ELF object, or raw BTF (split on vmlinux when <see cref="FuzzInput.SplitOnVmlinux"/>).</summary>
public enum InputKind { Elf, RawBtf }

/// <summary>One real input the mutations start from, with the map of its structures.</summary>
public sealed class FuzzInput
{
    public FuzzInput(string name, byte[] bytes, InputKind kind, bool splitOnVmlinux = false)
    {
        Name = name;
        Bytes = bytes;
        Kind = kind;
        SplitOnVmlinux = splitOnVmlinux;
        Regions = kind == InputKind.Elf ? RegionMap.OfElf(bytes, name) : RegionMap.OfRawBtf(bytes, 0, bytes.Length, "btf");
    }

    public string Name { get; }
    public byte[] Bytes { get; }
    public InputKind Kind { get; }
    /// <summary>A kernel module's BTF: parsed as split BTF on the running kernel's vmlinux.</summary>
    public bool SplitOnVmlinux { get; }
    public IReadOnlyList<Region> Regions { get; }
}

/// <summary>
/// The seed corpus: every compiled object of progs/ (and progs/compat/), the running kernel's vmlinux BTF read as
/// a file, and one module BTF when the kernel has any. Objects' own .BTF sections also serve as raw BTF inputs.
/// </summary>
public sealed class Corpus
{
    public const string VmlinuxPath = "/sys/kernel/btf/vmlinux";

    public Corpus(IReadOnlyList<FuzzInput> objects, IReadOnlyList<FuzzInput> rawBtfs, IReadOnlyList<FuzzInput> largeBtfs)
    {
        Objects = objects;
        RawBtfs = rawBtfs;
        LargeBtfs = largeBtfs;
    }

    /// <summary>ELF objects.</summary>
    public IReadOnlyList<FuzzInput> Objects { get; }
    /// <summary>Small raw BTF blobs (the objects' .BTF sections).</summary>
    public IReadOnlyList<FuzzInput> RawBtfs { get; }
    /// <summary>vmlinux and module BTF: megabytes, so sampled rarely.</summary>
    public IReadOnlyList<FuzzInput> LargeBtfs { get; }

    /// <param name="include">Which objects (paths relative to <paramref name="progsDirectory"/>) to take; all when null.</param>
    public static Corpus Load(string progsDirectory, bool includeKernelBtf = true, Func<string, bool>? include = null)
    {
        var objects = new List<FuzzInput>();
        var raw = new List<FuzzInput>();
        foreach (var path in Directory.EnumerateFiles(progsDirectory, "*.o", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            string name = Path.GetRelativePath(progsDirectory, path);
            if (include is not null && !include(name))
                continue;
            var bytes = File.ReadAllBytes(path);
            objects.Add(new FuzzInput(name, bytes, InputKind.Elf));
            var btf = ElfFile.Parse(bytes, name).FindSection(".BTF");
            if (btf is not null)
                raw.Add(new FuzzInput(name + ":.BTF", btf.Data.ToArray(), InputKind.RawBtf));
        }
        if (objects.Count == 0)
            throw new InvalidOperationException($"no BPF objects under {progsDirectory} (build the tests first)");
        var large = new List<FuzzInput>();
        if (includeKernelBtf && File.Exists(VmlinuxPath))
        {
            large.Add(new FuzzInput("vmlinux", File.ReadAllBytes(VmlinuxPath), InputKind.RawBtf));
            var module = Directory.EnumerateFiles("/sys/kernel/btf").Where(p => p != VmlinuxPath).Order(StringComparer.Ordinal).FirstOrDefault();
            if (module is not null)
                large.Add(new FuzzInput(Path.GetFileName(module), File.ReadAllBytes(module), InputKind.RawBtf, splitOnVmlinux: true));
        }
        return new Corpus(objects, raw, large);
    }
}
