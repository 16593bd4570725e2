namespace BpfLoader.Elf;

/// <summary>
/// The bytes of an ELF file as <see cref="ElfFile.Parse(ElfImage, string)"/> reads them: either the whole file
/// in one buffer, or only the ranges <see cref="ElfDwarfSkippingReader"/> read (file offset → bytes), the rest
/// (DWARF) never read. <see cref="Slice"/> answers by file offset; a range that was not read is empty.
/// </summary>
internal sealed class ElfImage
{
    private readonly ReadOnlyMemory<byte> _whole;
    private readonly (ulong Offset, byte[] Bytes)[]? _pieces;
    private ReadOnlyMemory<byte>? _materialized;

    /// <summary>The whole file.</summary>
    public ElfImage(ReadOnlyMemory<byte> whole)
    {
        _whole = whole;
        Length = whole.Length;
    }

    /// <summary>A file of <paramref name="length"/> bytes of which only <paramref name="pieces"/> were read (sorted by offset).</summary>
    public ElfImage(int length, (ulong Offset, byte[] Bytes)[] pieces)
    {
        Length = length;
        _pieces = pieces;
    }

    /// <summary>The file's size.</summary>
    public int Length { get; }

    /// <summary>True when parts of the file were not read.</summary>
    public bool IsPartial => _pieces is not null;

    /// <summary>
    /// The bytes at [<paramref name="offset"/>, +<paramref name="length"/>) of the file (the caller checked the range
    /// against <see cref="Length"/>); empty when a partial image did not read them.
    /// </summary>
    public ReadOnlyMemory<byte> Slice(ulong offset, ulong length)
    {
        if (_pieces is null)
            return _whole.Slice((int)offset, (int)length);
        if (length == 0)
            return ReadOnlyMemory<byte>.Empty;
        // Latest piece starting at or before the offset that covers the whole range (pieces may overlap).
        for (int i = _pieces.Length - 1; i >= 0; i--)
        {
            var (start, bytes) = _pieces[i];
            if (start <= offset && offset + length <= start + (ulong)bytes.Length)
                return bytes.AsMemory((int)(offset - start), (int)length);
        }
        return ReadOnlyMemory<byte>.Empty;
    }

    /// <summary>The whole file in one buffer; for a partial image, built on first use with zeros where nothing was read.</summary>
    public ReadOnlyMemory<byte> Whole => _pieces is null ? _whole : _materialized ??= Materialize();

    private byte[] Materialize()
    {
        var whole = new byte[Length];
        foreach (var (offset, bytes) in _pieces!)
            bytes.CopyTo(whole.AsSpan((int)offset));
        return whole;
    }
}
