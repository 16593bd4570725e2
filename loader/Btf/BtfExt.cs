namespace BpfLoader.Btf;

// TEMPORARY stand-in until the .BTF.ext parser lands from the btf branch.
public sealed class BtfExt
{
    public static BtfExt Parse(ReadOnlyMemory<byte> data, Btf btf, string? sourceName = null) => new();
}
