using System.Runtime.InteropServices;

namespace BpfTests.Linker;

/// <summary>The system's libbpf.so.1 <c>btf__dedup</c>, the reference our dedup is compared with (tests only).</summary>
internal static partial class LibbpfDedup
{
    private const string Lib = "libbpf.so.1";

    public static bool Available => NativeLibrary.TryLoad(Lib, out _);

    /// <summary>Raw BTF after libbpf's dedup of <paramref name="raw"/> (no .BTF.ext).</summary>
    public static unsafe byte[] Dedup(byte[] raw)
    {
        nint btf;
        fixed (byte* p = raw)
            btf = BtfNew(p, (uint)raw.Length);
        if (btf == 0)
            throw new InvalidOperationException("btf__new failed");
        try
        {
            int err = BtfDedup(btf, 0);
            if (err != 0)
                throw new InvalidOperationException($"btf__dedup failed: {err}");
            byte* data = BtfRawData(btf, out uint size);
            return new ReadOnlySpan<byte>(data, (int)size).ToArray();
        }
        finally
        {
            BtfFree(btf);
        }
    }

    [LibraryImport(Lib, EntryPoint = "btf__new")]
    private static unsafe partial nint BtfNew(byte* data, uint size);

    [LibraryImport(Lib, EntryPoint = "btf__dedup")]
    private static partial int BtfDedup(nint btf, nint opts);

    [LibraryImport(Lib, EntryPoint = "btf__raw_data")]
    private static unsafe partial byte* BtfRawData(nint btf, out uint size);

    [LibraryImport(Lib, EntryPoint = "btf__free")]
    private static partial void BtfFree(nint btf);
}
