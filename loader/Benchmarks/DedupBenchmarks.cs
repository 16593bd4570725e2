using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BpfLoader.Btf.Dedup;

namespace BpfLoader.Benchmarks;

/// <summary>
/// BTF dedup, ours against libbpf 1.7's <c>btf__dedup</c> (the baseline) and libbpf 1.1's, all from the raw bytes (parse + dedup):
/// the merged, not yet deduplicated BTF of every progs/ object (what linking them all would dedup), and
/// vmlinux BTF read as a plain file. The progs/ objects come from the test build.
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
        _ = Libbpf.V17;
        _ = Libbpf.V11;
        _vmlinux = File.ReadAllBytes("/sys/kernel/btf/vmlinux");
        _progs = BpfLoader.Linker.ObjectsBtf.Concatenate(BuiltObjects.All()).ToBytes();
    }

    [Benchmark(Baseline = true), BenchmarkCategory("dedup merged progs BTF")]
    public void Libbpf17_DedupProgs() => LibbpfDedup(Libbpf.V17, _progs);

    [Benchmark, BenchmarkCategory("dedup merged progs BTF")]
    public void Libbpf11_DedupProgs() => LibbpfDedup(Libbpf.V11, _progs);

    [Benchmark, BenchmarkCategory("dedup merged progs BTF")]
    public int Ours_DedupProgs() => BtfDeduplicator.Run(BtfTypeTable.Parse(_progs, "progs")).TypeCount;

    [Benchmark(Baseline = true), BenchmarkCategory("dedup vmlinux BTF")]
    public void Libbpf17_DedupVmlinux() => LibbpfDedup(Libbpf.V17, _vmlinux);

    [Benchmark, BenchmarkCategory("dedup vmlinux BTF")]
    public void Libbpf11_DedupVmlinux() => LibbpfDedup(Libbpf.V11, _vmlinux);

    [Benchmark, BenchmarkCategory("dedup vmlinux BTF")]
    public int Ours_DedupVmlinux() => BtfDeduplicator.Run(BtfTypeTable.Parse(_vmlinux, "vmlinux")).TypeCount;

    private static void LibbpfDedup(Libbpf lib, byte[] raw)
    {
        nint btf = lib.BtfNew(raw);
        if (btf == 0)
            throw new InvalidOperationException("btf__new failed");
        try
        {
            if (lib.BtfDedup(btf) != 0)
                throw new InvalidOperationException("btf__dedup failed");
        }
        finally
        {
            lib.BtfFree(btf);
        }
    }
}
