using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BpfLoader.Diagnostics;
using BpfLoader.Objects;

namespace BpfLoader.Benchmarks;

/// <summary>
/// Each category runs libbpf (the baseline, so the Ratio column is ours / libbpf) and this loader on the same
/// input: parsing /sys/kernel/btf/vmlinux, opening a large object, and CO-RE-relocating an object with
/// hundreds of relocations (libbpf 1.1 has no prepare-only API, so that category is open + load for both;
/// the kernel's verification of the same programs is part of both numbers, and "ours, CO-RE only" isolates
/// our relocation work).
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class LoaderBenchmarks
{
    private const string Vmlinux = "/sys/kernel/btf/vmlinux";
    private string _largeObject = "";
    private string _coreObject = "";

    [GlobalSetup]
    public void Setup()
    {
        Libbpf.Quiet();
        LibbpfLog.SetPrint(null);
        _coreObject = Compile("core_many.bpf.c");
        _largeObject = _coreObject;
        // Warm the process-wide vmlinux BTF once: our loader shares it across objects by design.
        _ = BpfLoader.Btf.Btf.KernelVmlinux.FindByName("task_struct", BpfLoader.Btf.BtfKind.Struct);
    }

    private static string Compile(string source)
    {
        string src = Path.Combine(AppContext.BaseDirectory, source);
        string obj = Path.Combine(Path.GetTempPath(), $"bpfloader-bench-{Environment.ProcessId}-{Path.GetFileNameWithoutExtension(source)}.o");
        var psi = new ProcessStartInfo("clang-19", $"-target bpf -g -O2 -D__TARGET_ARCH_x86 -idirafter /usr/include/x86_64-linux-gnu -c {src} -o {obj}")
        {
            RedirectStandardError = true,
        };
        using var p = Process.Start(psi)!;
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
            throw new InvalidOperationException($"clang failed: {err}");
        return obj;
    }

    [GlobalCleanup]
    public void Cleanup() => File.Delete(_coreObject);

    [Benchmark(Baseline = true), BenchmarkCategory("vmlinux BTF parse")]
    public void Libbpf_BtfParse()
    {
        nint btf = Libbpf.BtfParse(Vmlinux, 0);
        if (btf == 0)
            throw new InvalidOperationException("btf__parse failed");
        Libbpf.BtfFree(btf);
    }

    [Benchmark, BenchmarkCategory("vmlinux BTF parse")]
    public int Ours_BtfParse() => BpfLoader.Btf.Btf.LoadFile(Vmlinux).LastId;

    [Benchmark(Baseline = true), BenchmarkCategory("open large object")]
    public void Libbpf_Open()
    {
        nint obj = Libbpf.ObjectOpenFile(_largeObject, 0);
        if (obj == 0)
            throw new InvalidOperationException("bpf_object__open_file failed");
        Libbpf.ObjectClose(obj);
    }

    [Benchmark, BenchmarkCategory("open large object")]
    public int Ours_Open()
    {
        using var obj = BpfObject.Open(_largeObject);
        return obj.Programs.Count;
    }

    [Benchmark(Baseline = true), BenchmarkCategory("CO-RE (723 relos): open + load")]
    public void Libbpf_OpenLoad()
    {
        nint obj = Libbpf.ObjectOpenFile(_coreObject, 0);
        int err = Libbpf.ObjectLoad(obj);
        Libbpf.ObjectClose(obj);
        if (err != 0)
            throw new InvalidOperationException($"bpf_object__load failed: {err}");
    }

    [Benchmark, BenchmarkCategory("CO-RE (723 relos): open + load")]
    public void Ours_OpenLoad()
    {
        using var obj = BpfObject.Open(_coreObject);
        obj.Load();
    }

    [Benchmark, BenchmarkCategory("CO-RE (723 relos): open + load")]
    public int Ours_CoreOnly()
    {
        using var obj = BpfObject.Open(_coreObject);
        Core.CoreRelocator.Apply(obj.Name, obj.Btf, obj.BtfExt, obj.Elf, obj.Programs.Concat(obj.Subprograms).ToList(), btfCustomPath: null);
        return obj.Programs.Count;
    }
}
