namespace BpfLoader.Btf;

// Serialization and cloning.
public sealed partial class Btf
{
    /// <summary>
    /// The raw BTF of this object: header, own type section, own string section (for split BTF only the
    /// split part, as the kernel and libbpf expect). The header keeps the input's hdr_len and flags, and the
    /// sections are laid out back to back (type_off 0, str_off = type_len), which is the layout clang, pahole
    /// and the kernel produce; so an unmodified parse of such input is reproduced byte for byte. Throws
    /// <see cref="InvalidOperationException"/> if an added type references an id that was never added.
    /// </summary>
    public byte[] ToBytes()
    {
        if (_typeBuf is not null)
            CheckAllRecords();
        int hdrLen = _header.Length;
        var result = new byte[(long)hdrLen + _typeLen + _strLen];
        _header.CopyTo(result, 0);
        BtfHeader.Write(result, _header[3], hdrLen, _typeLen, _strLen);
        TypeData.CopyTo(result.AsSpan(hdrLen));
        StringData.CopyTo(result.AsSpan(hdrLen + _typeLen));
        GC.KeepAlive(_owner);
        return result;
    }

    // After mutation: every reference must resolve now (Add* accepts forward references).
    private void CheckAllRecords()
    {
        var types = TypeData;
        int lastId = LastId;
        for (int i = 0; i < _count; i++)
        {
            var err = ValidateRecord(_startId + i, types.Slice(_offsets[i], RecordLength(i)), lastId, checkFuncTarget: true);
            if (err is not null)
                throw new InvalidOperationException($"BTF '{_source}': {err}");
        }
    }

    /// <summary>
    /// A deep copy of this BTF's own types and strings in managed buffers, sharing the same base.
    /// The copy is writable even when this instance is read-only (e.g. <see cref="KernelVmlinux"/>).
    /// </summary>
    public Btf Clone(string? sourceName = null)
    {
        var copy = new Btf(sourceName ?? _source, _base, (byte[])_header.Clone(), ReadOnlyMemory<byte>.Empty, ReadOnlyMemory<byte>.Empty, null)
        {
            _typeBuf = TypeData.ToArray(),
            _strBuf = StringData.ToArray(),
            _typeLen = _typeLen,
            _strLen = _strLen,
            _offsets = _offsets.AsSpan(0, _count).ToArray(),
            _count = _count,
            _ptrSize = _ptrSize,
        };
        GC.KeepAlive(_owner);
        copy.MarkDependedOn();
        return copy;
    }
}
