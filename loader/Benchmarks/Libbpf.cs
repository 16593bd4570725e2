using System.Runtime.InteropServices;

namespace BpfLoader.Benchmarks;

/// <summary>
/// One libbpf shared library loaded from an explicit path, with the few entry points the benchmarks call (libbpf 1.x
/// ABI: NULL + errno on error). Two of them live in the benchmark process side by side: libbpf 1.7 (Debian sid,
/// unpacked by <c>./run.sh setup</c>) and the host's libbpf 1.1. Both are loaded RTLD_LOCAL by full path, so each
/// binds to its own symbols although they share the soname libbpf.so.1. Sid's libbpf needs sid's glibc (2.38+), which
/// is why <c>./run.sh bench</c> starts the process through sid's dynamic loader.
/// </summary>
internal sealed unsafe class Libbpf
{
    public const string V17Path = "/var/cache/bpftests/libbpf-1.7/usr/lib/x86_64-linux-gnu/libbpf.so.1.7.0";
    public const string V11Path = "/usr/lib/x86_64-linux-gnu/libbpf.so.1";

    private static Libbpf? _v17, _v11;

    /// <summary>libbpf 1.7, the reference behaviour this project implements (the baseline of every category).</summary>
    public static Libbpf V17 => _v17 ??= new Libbpf(V17Path, 1, 7);

    /// <summary>Debian 12's libbpf 1.1, the previous reference.</summary>
    public static Libbpf V11 => _v11 ??= new Libbpf(V11Path, 1, 1);

    private readonly delegate* unmanaged<byte*, nint, nint> _btfParse;
    private readonly delegate* unmanaged<byte*, uint, nint> _btfNew;
    private readonly delegate* unmanaged<nint, nint, int> _btfDedup;
    private readonly delegate* unmanaged<nint, void> _btfFree;
    private readonly delegate* unmanaged<byte*, nint, nint> _objectOpenFile;
    private readonly delegate* unmanaged<nint, int> _objectLoad;
    private readonly delegate* unmanaged<nint, void> _objectClose;

    private Libbpf(string path, uint major, uint minor)
    {
        nint lib;
        try
        {
            lib = NativeLibrary.Load(path);
        }
        catch (DllNotFoundException e)
        {
            throw new InvalidOperationException(
                $"cannot load {path} ({e.Message}); run the benchmarks with ./run.sh bench (it provisions libbpf 1.7 and starts the process through its glibc's loader)", e);
        }
        nint Export(string name) => NativeLibrary.GetExport(lib, name);
        uint gotMajor = ((delegate* unmanaged<uint>)Export("libbpf_major_version"))();
        uint gotMinor = ((delegate* unmanaged<uint>)Export("libbpf_minor_version"))();
        if (gotMajor != major || gotMinor != minor)
            throw new InvalidOperationException($"{path} is libbpf {gotMajor}.{gotMinor}, expected {major}.{minor}");
        _btfParse = (delegate* unmanaged<byte*, nint, nint>)Export("btf__parse");
        _btfNew = (delegate* unmanaged<byte*, uint, nint>)Export("btf__new");
        _btfDedup = (delegate* unmanaged<nint, nint, int>)Export("btf__dedup");
        _btfFree = (delegate* unmanaged<nint, void>)Export("btf__free");
        _objectOpenFile = (delegate* unmanaged<byte*, nint, nint>)Export("bpf_object__open_file");
        _objectLoad = (delegate* unmanaged<nint, int>)Export("bpf_object__load");
        _objectClose = (delegate* unmanaged<nint, void>)Export("bpf_object__close");
        // Silence it: a NULL print function.
        ((delegate* unmanaged<nint, nint>)Export("libbpf_set_print"))(0);
    }

    /// <summary>Paths are passed NUL-terminated; callers keep one buffer per input so the timed call does no encoding.</summary>
    public static byte[] CString(string s) => [.. System.Text.Encoding.UTF8.GetBytes(s), 0];

    public nint BtfParse(byte[] path)
    {
        fixed (byte* p = path)
            return _btfParse(p, 0);
    }

    public nint BtfNew(byte[] data)
    {
        fixed (byte* p = data)
            return _btfNew(p, (uint)data.Length);
    }

    public int BtfDedup(nint btf) => _btfDedup(btf, 0);

    public void BtfFree(nint btf) => _btfFree(btf);

    public nint ObjectOpenFile(byte[] path)
    {
        fixed (byte* p = path)
            return _objectOpenFile(p, 0);
    }

    public int ObjectLoad(nint obj) => _objectLoad(obj);

    public void ObjectClose(nint obj) => _objectClose(obj);
}
