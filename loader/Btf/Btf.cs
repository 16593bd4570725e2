using System.Buffers.Binary;
using System.Text;
using BpfLoader.Diagnostics;

namespace BpfLoader.Btf;

/// <summary>
/// One BTF blob: a base BTF (ids from 1) or a split BTF layered on a base (ids continue after the base's,
/// string offsets continue after the base's string section), like libbpf's <c>struct btf</c>.
/// <para>
/// Types are not decoded into objects: the raw type and string sections are kept as they came (a slice of
/// the caller's memory, or a native mapping of the file) with one <c>int[]</c> of record offsets, and
/// <see cref="BtfType"/> reads fields on demand. The first mutation copies this BTF's own sections into
/// growable managed buffers (copy-on-write); the base is never copied or modified.
/// </para>
/// <para>
/// Reading is thread-safe (lazy indexes are published atomically); mutation is not, and
/// <see cref="KernelVmlinux"/> is read-only (use <see cref="Clone"/> to get a mutable copy).
/// </para>
/// </summary>
public sealed partial class Btf
{
    /// <summary><c>BTF_MAX_TYPE</c>: type ids are 20-bit in some kernel encodings.</summary>
    public const int MaxTypeId = 0x000fffff;

    /// <summary>Where the running kernel exposes its own BTF.</summary>
    public const string VmlinuxPath = "/sys/kernel/btf/vmlinux";

    private static readonly Lazy<Btf> Vmlinux = new(() =>
    {
        var btf = LoadFile(VmlinuxPath);
        btf._readOnly = true;
        return btf;
    });

    private readonly string _source;
    private readonly Btf? _base;
    private readonly int _startId;
    private readonly int _baseStrLen;   // combined string offset at which this BTF's own strings begin
    private readonly byte[] _header;    // the original header (hdr_len bytes), rewritten on output

    // Immutable backing until the first mutation; _owner keeps a native mapping alive.
    private ReadOnlyMemory<byte> _rawTypes;
    private ReadOnlyMemory<byte> _rawStrings;
    private object? _owner;

    // Managed backing after copy-on-write; the lengths are valid in both modes.
    private byte[]? _typeBuf;
    private byte[]? _strBuf;
    private int _typeLen;
    private int _strLen;

    private int[] _offsets;             // byte offset of own type (StartId + i) in the type section
    private int _count;                 // own types

    private bool _readOnly;
    private bool _isBase;               // some split BTF depends on our ids and string offsets

    private Btf(string source, Btf? baseBtf, byte[] header, ReadOnlyMemory<byte> types, ReadOnlyMemory<byte> strings, object? owner)
    {
        _source = source;
        _base = baseBtf;
        _startId = baseBtf is null ? 1 : baseBtf.LastId + 1;
        _baseStrLen = baseBtf?.StringsEnd ?? 0;
        _header = header;
        _rawTypes = types;
        _rawStrings = strings;
        _typeLen = types.Length;
        _strLen = strings.Length;
        _owner = owner;
        _offsets = [];
    }

    // Called once a split BTF on this base exists: from then on the base's ids and string offsets are frozen.
    private void MarkDependedOn()
    {
        if (_base is not null)
            _base._isBase = true;
    }

    /// <summary>
    /// Parses and validates a BTF blob. <paramref name="data"/> is referenced, not copied: it must stay
    /// unchanged while this object (or a split BTF on it) is alive. Malformed input throws
    /// <see cref="BpfFormatException"/> naming <paramref name="sourceName"/>.
    /// </summary>
    public static Btf Parse(ReadOnlyMemory<byte> data, Btf? baseBtf = null, string? sourceName = null)
        => ParseCore(data, baseBtf, sourceName ?? "<memory>", owner: null);

    /// <summary>
    /// Loads a raw BTF file such as <c>/sys/kernel/btf/vmlinux</c>, or <c>/sys/kernel/btf/&lt;module&gt;</c>
    /// with <see cref="KernelVmlinux"/> as <paramref name="baseBtf"/>. The file is memory-mapped when possible.
    /// </summary>
    public static Btf LoadFile(string path, Btf? baseBtf = null)
    {
        var file = BtfFileData.Load(path);
        try
        {
            return ParseCore(file.Memory, baseBtf, path, file);
        }
        catch
        {
            ((IDisposable)file).Dispose();
            throw;
        }
    }

    /// <summary>The running kernel's BTF, loaded once per process on first use and shared (read-only).</summary>
    public static Btf KernelVmlinux => Vmlinux.Value;

    /// <summary>An empty BTF to build with the <c>Add*</c> methods; split on <paramref name="baseBtf"/> if given.</summary>
    public static Btf CreateEmpty(Btf? baseBtf = null, string? sourceName = null)
    {
        var header = new byte[BtfHeader.MinSize];
        BtfHeader.Write(header, 0, BtfHeader.MinSize, 0, baseBtf is null ? 1 : 0);
        // A base string section starts with the empty string at offset 0; a split one may be empty.
        var strings = baseBtf is null ? new byte[1] : [];
        var btf = new Btf(sourceName ?? "<new>", baseBtf, header, ReadOnlyMemory<byte>.Empty, strings, null);
        btf.MarkDependedOn();
        return btf;
    }

    /// <summary>The name used in error messages (file path, object name, or <c>&lt;memory&gt;</c>).</summary>
    public string SourceName => _source;

    /// <summary>The base BTF of a split BTF, else null.</summary>
    public Btf? Base => _base;

    /// <summary>First type id owned by this BTF: 1 for a base BTF, <c>Base.LastId + 1</c> for a split one.</summary>
    public int StartId => _startId;

    /// <summary>Last valid type id (<c>StartId - 1</c> when this BTF owns no types).</summary>
    public int LastId => _startId + _count - 1;

    /// <summary>Like libbpf's <c>btf__type_cnt</c>: number of ids including void and the base's, i.e. <c>LastId + 1</c>.</summary>
    public int TypeCount => LastId + 1;

    /// <summary>Types stored in this BTF itself (excluding void and the base's).</summary>
    public int OwnTypeCount => _count;

    /// <summary>Header flags byte as read (0 for new BTF).</summary>
    public byte HeaderFlags => _header[3];

    /// <summary>Size of the combined string space: base strings followed by this BTF's own.</summary>
    public int StringsEnd => _baseStrLen + _strLen;

    /// <summary>Size in bytes of this BTF's own type section.</summary>
    public int TypeSectionLength => _typeLen;

    /// <summary>Size in bytes of this BTF's own string section.</summary>
    public int StringSectionLength => _strLen;

    /// <summary>True for the shared <see cref="KernelVmlinux"/> instance: mutations throw.</summary>
    public bool IsReadOnly => _readOnly;

    internal ReadOnlySpan<byte> TypeData => _typeBuf is { } b ? b.AsSpan(0, _typeLen) : _rawTypes.Span;

    internal ReadOnlySpan<byte> StringData => _strBuf is { } b ? b.AsSpan(0, _strLen) : _rawStrings.Span;

    /// <summary>The type with <paramref name="id"/> (0 is void); ids below <see cref="StartId"/> come from the base.</summary>
    public BtfType this[int id] => GetType(id);

    /// <summary>The type with <paramref name="id"/>; throws <see cref="ArgumentOutOfRangeException"/> past <see cref="LastId"/>.</summary>
    public BtfType GetType(int id)
    {
        if (TryGetType(id, out var t))
            return t;
        throw new ArgumentOutOfRangeException(nameof(id), id, $"BTF '{_source}': type id {id} is out of range [0, {LastId}]");
    }

    /// <summary>Non-throwing <see cref="GetType(int)"/>.</summary>
    public bool TryGetType(int id, out BtfType type)
    {
        if ((uint)id < (uint)_startId)
        {
            if (id == 0)
            {
                type = new BtfType(this, 0, -1);
                return true;
            }
            return _base!.TryGetType(id, out type);
        }
        int i = id - _startId;
        if ((uint)i >= (uint)_count)
        {
            type = default;
            return false;
        }
        type = new BtfType(this, id, _offsets[i]);
        return true;
    }

    /// <summary>Kind of <paramref name="id"/> without building a view (void is <see cref="BtfKind.Unknown"/>).</summary>
    public BtfKind KindOf(int id) => GetType(id).Kind;

    /// <summary>The NUL-terminated string at a combined <paramref name="offset"/> (base strings first), decoded as UTF-8.</summary>
    public string GetString(uint offset)
    {
        var bytes = GetStringBytes(offset);
        return bytes.IsEmpty ? string.Empty : Encoding.UTF8.GetString(bytes);
    }

    /// <summary>The raw bytes of the string at <paramref name="offset"/>, without the terminating NUL.</summary>
    public ReadOnlySpan<byte> GetStringBytes(uint offset)
    {
        if (!TryGetStringBytes(offset, out var bytes))
            throw new ArgumentOutOfRangeException(nameof(offset), offset, $"BTF '{_source}': string offset {offset} is outside the string section ({StringsEnd} bytes)");
        return bytes;
    }

    /// <summary>Non-throwing <see cref="GetStringBytes"/>.</summary>
    public bool TryGetStringBytes(uint offset, out ReadOnlySpan<byte> bytes)
    {
        if (offset < (uint)_baseStrLen)
            return _base!.TryGetStringBytes(offset, out bytes);
        long rel = (long)offset - _baseStrLen;
        var strings = StringData;
        if (rel >= strings.Length)
        {
            bytes = default;
            return false;
        }
        var rest = strings[(int)rel..];
        int nul = rest.IndexOf((byte)0);
        bytes = nul < 0 ? rest : rest[..nul];   // validated sections end in NUL; be safe anyway
        return true;
    }

    /// <summary>Reads a little-endian u32 from this BTF's own type section.</summary>
    internal uint ReadTypeWord(int byteOffset)
    {
        uint v = BinaryPrimitives.ReadUInt32LittleEndian(TypeData.Slice(byteOffset, 4));
        GC.KeepAlive(this);   // the mapping must outlive the read even if the caller dropped its last reference
        return v;
    }

    /// <summary>Record length in bytes of own type index <paramref name="i"/>.</summary>
    internal int RecordLength(int i) => (i + 1 < _count ? _offsets[i + 1] : _typeLen) - _offsets[i];

    /// <summary>Offset of own type <paramref name="id"/> in the type section; the id must be owned by this BTF.</summary>
    internal int OffsetOf(int id) => _offsets[id - _startId];

    /// <summary>The BTF that stores <paramref name="id"/> (this, or a base further down).</summary>
    internal Btf OwnerOf(int id)
    {
        var b = this;
        while (id < b._startId && b._base is not null)
            b = b._base;
        return b;
    }

    internal string Source => _source;

    /// <inheritdoc/>
    public override string ToString() => $"BTF '{_source}' (ids {_startId}..{LastId}{(_base is null ? "" : $", split on '{_base._source}'")})";
}
