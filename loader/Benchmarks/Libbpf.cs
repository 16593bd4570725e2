using System.Runtime.InteropServices;

namespace BpfLoader.Benchmarks;

/// <summary>The few libbpf.so.1 entry points the benchmarks compare against (libbpf 1.x ABI: NULL + errno on error).</summary>
internal static unsafe partial class Libbpf
{
    private const string Lib = "libbpf.so.1";

    [LibraryImport(Lib, EntryPoint = "btf__parse", StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint BtfParse(string path, nint btfExt);

    [LibraryImport(Lib, EntryPoint = "btf__new")]
    public static unsafe partial nint BtfNew(byte* data, uint size);

    [LibraryImport(Lib, EntryPoint = "btf__dedup")]
    public static partial int BtfDedup(nint btf, nint opts);

    [LibraryImport(Lib, EntryPoint = "btf__free")]
    public static partial void BtfFree(nint btf);

    [LibraryImport(Lib, EntryPoint = "bpf_object__open_file", StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint ObjectOpenFile(string path, nint opts);

    [LibraryImport(Lib, EntryPoint = "bpf_object__load")]
    public static partial int ObjectLoad(nint obj);

    [LibraryImport(Lib, EntryPoint = "bpf_object__close")]
    public static partial void ObjectClose(nint obj);

    [LibraryImport(Lib, EntryPoint = "libbpf_set_print")]
    public static partial nint SetPrint(nint fn);

    /// <summary>Silences libbpf (a NULL print function).</summary>
    public static void Quiet() => SetPrint(0);
}
