using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BpfLoader.Diagnostics;
using BpfLoader.Objects;

namespace BpfLoader.Benchmarks;

/// <summary>
/// Each category runs libbpf 1.7 (the baseline, so the Ratio column is x / libbpf 1.7), libbpf 1.1 and this loader
/// on the same input: parsing /sys/kernel/btf/vmlinux, opening a real CO-RE object of progs/ and a large one
/// (core_many.bpf.c, 723 CO-RE relocations over 14 kernel structs), and opening + loading that large one (libbpf
/// has no prepare-only API, so CO-RE is compared as open + load; the kernel's verification of the same programs
/// is part of every number, and "ours, CO-RE only" isolates our relocation work).
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class LoaderBenchmarks
{
    private const string Vmlinux = "/sys/kernel/btf/vmlinux";
    private static readonly byte[] _vmlinuxPath = Libbpf.CString(Vmlinux);
    /// <summary>The real CO-RE object opened by the "open real CO-RE object" category (relative to the built progs/).</summary>
    public const string RealObject = "compat/core_task.bpf.o";
    private string _coreObject = "";
    private byte[] _coreObjectPath = [];
    private string _realObject = "";
    private byte[] _realObjectPath = [];

    [GlobalSetup]
    public void Setup()
    {
        _ = Libbpf.V17;
        _ = Libbpf.V11;
        LibbpfLog.SetPrint(null);
        _coreObject = Compile("core_many.bpf.c");
        _coreObjectPath = Libbpf.CString(_coreObject);
        _realObject = Path.Combine(BuiltObjects.Directory, RealObject);
        _realObjectPath = Libbpf.CString(_realObject);
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
    public void Libbpf17_BtfParse() => BtfParse(Libbpf.V17);

    [Benchmark, BenchmarkCategory("vmlinux BTF parse")]
    public void Libbpf11_BtfParse() => BtfParse(Libbpf.V11);

    [Benchmark, BenchmarkCategory("vmlinux BTF parse")]
    public int Ours_BtfParse() => BpfLoader.Btf.Btf.LoadFile(Vmlinux).LastId;

    private void BtfParse(Libbpf lib)
    {
        nint btf = lib.BtfParse(_vmlinuxPath);
        if (btf == 0)
            throw new InvalidOperationException("btf__parse failed");
        lib.BtfFree(btf);
    }

    [Benchmark(Baseline = true), BenchmarkCategory("open real CO-RE object")]
    public void Libbpf17_OpenReal() => OpenClose(Libbpf.V17, _realObjectPath);

    [Benchmark, BenchmarkCategory("open real CO-RE object")]
    public void Libbpf11_OpenReal() => OpenClose(Libbpf.V11, _realObjectPath);

    [Benchmark, BenchmarkCategory("open real CO-RE object")]
    public int Ours_OpenReal()
    {
        using var obj = BpfObject.Open(_realObject);
        return obj.Programs.Count;
    }

    [Benchmark(Baseline = true), BenchmarkCategory("open large object")]
    public void Libbpf17_Open() => OpenClose(Libbpf.V17, _coreObjectPath);

    [Benchmark, BenchmarkCategory("open large object")]
    public void Libbpf11_Open() => OpenClose(Libbpf.V11, _coreObjectPath);

    [Benchmark, BenchmarkCategory("open large object")]
    public int Ours_Open()
    {
        using var obj = BpfObject.Open(_coreObject);
        return obj.Programs.Count;
    }

    private static void OpenClose(Libbpf lib, byte[] path)
    {
        nint obj = lib.ObjectOpenFile(path);
        if (obj == 0)
            throw new InvalidOperationException("bpf_object__open_file failed");
        lib.ObjectClose(obj);
    }

    [Benchmark(Baseline = true), BenchmarkCategory("CO-RE (723 relos): open + load")]
    public void Libbpf17_OpenLoad() => OpenLoad(Libbpf.V17);

    [Benchmark, BenchmarkCategory("CO-RE (723 relos): open + load")]
    public void Libbpf11_OpenLoad() => OpenLoad(Libbpf.V11);

    private void OpenLoad(Libbpf lib)
    {
        nint obj = lib.ObjectOpenFile(_coreObjectPath);
        int err = lib.ObjectLoad(obj);
        lib.ObjectClose(obj);
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
