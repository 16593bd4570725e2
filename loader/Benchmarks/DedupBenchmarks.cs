using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BpfLoader.Btf.Dedup;

namespace BpfLoader.Benchmarks;

/// <summary>
/// BTF dedup, ours against libbpf's <c>btf__dedup</c> (the baseline), both from the raw bytes (parse + dedup):
/// the merged, not yet deduplicated BTF of every progs/ object (what linking them all would dedup), and
/// vmlinux BTF read as a plain file. The progs/ objects come from the test build (testcases/obj/bpf/obj).
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class DedupBenchmarks
{
    private byte[] _progs = [];
    private byte[] _vmlinux = [];

    [GlobalSetup]
    public void Setup()
    {
        Libbpf.Quiet();
        _vmlinux = File.ReadAllBytes("/sys/kernel/btf/vmlinux");
        string objects = Path.Combine(RepositoryRoot(), "testcases", "obj", "bpf", "obj");
        if (!Directory.Exists(objects))
            throw new InvalidOperationException($"{objects} is missing: build testcases/BpfTests.csproj first");
        _progs = BpfLoader.Linker.ObjectsBtf.Concatenate(Directory.EnumerateFiles(objects, "*.bpf.o", SearchOption.AllDirectories).Order(StringComparer.Ordinal)).ToBytes();
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "BpfTests.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException("run the benchmarks from the repository's build output");
    }

    [Benchmark(Baseline = true), BenchmarkCategory("dedup merged progs BTF")]
    public void Libbpf_DedupProgs() => LibbpfDedup(_progs);

    [Benchmark, BenchmarkCategory("dedup merged progs BTF")]
    public int Ours_DedupProgs() => BtfDeduplicator.Run(BtfTypeTable.Parse(_progs, "progs")).TypeCount;

    [Benchmark(Baseline = true), BenchmarkCategory("dedup vmlinux BTF")]
    public void Libbpf_DedupVmlinux() => LibbpfDedup(_vmlinux);

    [Benchmark, BenchmarkCategory("dedup vmlinux BTF")]
    public int Ours_DedupVmlinux() => BtfDeduplicator.Run(BtfTypeTable.Parse(_vmlinux, "vmlinux")).TypeCount;

    private static unsafe void LibbpfDedup(byte[] raw)
    {
        nint btf;
        fixed (byte* p = raw)
            btf = Libbpf.BtfNew(p, (uint)raw.Length);
        if (btf == 0)
            throw new InvalidOperationException("btf__new failed");
        try
        {
            if (Libbpf.BtfDedup(btf, 0) != 0)
                throw new InvalidOperationException("btf__dedup failed");
        }
        finally
        {
            Libbpf.BtfFree(btf);
        }
    }
}
