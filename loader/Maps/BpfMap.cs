using System.Runtime.InteropServices;
using BpfLoader.Diagnostics;
using BpfLoader.Kernel;

namespace BpfLoader.Maps;

/// <summary>
/// A BPF map: its definition (editable until the map is created) and, once created, its kernel object.
/// Maps of an object are created by <see cref="Objects.BpfObject.Load"/>; a standalone map is created
/// with <see cref="Create"/>. Global-data maps (.data, .rodata, .bss, ...) expose their bytes through
/// <see cref="Data"/>: the initial image before load, the memory-mapped map after load.
/// </summary>
public sealed partial class BpfMap : IDisposable
{
    private bool _autoCreate = true;
    private FileDescriptor? _fd;
    private MappedRegion? _mapped;
    private bool _disposed;

    public BpfMap(string name, BpfMapType type, uint keySize, uint valueSize, uint maxEntries, uint flags = 0)
    {
        Name = name;
        Type = type;
        KeySize = keySize;
        ValueSize = valueSize;
        MaxEntries = maxEntries;
        Flags = flags;
    }

    public string Name { get; }

    // The definition is what the kernel map was created with: once created (or once the owning object is
    // prepared), changing it is refused with -EBUSY as libbpf's bpf_map__set_* do, so element access never
    // sizes buffers from a definition the kernel does not have.
    public BpfMapType Type { get; set => field = Definable(value, "type"); }
    public uint KeySize { get; set => field = Definable(value, "key_size"); }
    public uint ValueSize { get; set => field = Definable(value, "value_size"); }
    public uint MaxEntries { get; set => field = Definable(value, "max_entries"); }
    public uint Flags { get; set => field = Definable(value, "map_flags"); }
    public uint NumaNode { get; set => field = Definable(value, "numa_node"); }
    public ulong MapExtra { get; set => field = Definable(value, "map_extra"); }
    public PinningType Pinning { get; set; }
    public string? PinPath { get; set; }

    /// <summary>This load pinned the map (not a reused pin): a failed load unpins it again, as libbpf does.</summary>
    internal bool PinnedByLoad { get; set; }
    public BpfMap? InnerMap { get; internal set; }

    /// <summary>ELF section the map comes from: <c>.maps</c>, or the data section of a global-data map.</summary>
    public string? SectionName { get; internal set; }

    /// <summary>The shadow of a STRUCT_OPS map (its local value and program slots), null for other maps.</summary>
    public StructOpsShadow? StructOps { get; internal set; }

    /// <summary>True for the maps libbpf creates for global data sections (.data, .rodata, .bss, .kconfig, ...).</summary>
    public bool IsInternal { get; internal set; }
    public bool IsReadOnlyData => IsInternal && (Flags & BpfFlags.RdOnlyProg) != 0;

    public int BtfKeyTypeId { get; internal set; }
    public int BtfValueTypeId { get; internal set; }
    internal int BtfVmlinuxValueTypeId { get; set; }
    internal int ValueTypeBtfObjFd { get; set; } = -1;

    /// <summary>Index of the map's variable in its ELF section (offset inside .maps), used by relocations.</summary>
    internal int ElfSectionIndex { get; set; } = -1;
    internal long ElfSectionOffset { get; set; }

    /// <summary>Name of the object this map belongs to, if any (for messages).</summary>
    internal string? ObjectName { get; set; }

    /// <summary>Set by the owning object once it is prepared or loaded: the definition may no longer change.</summary>
    internal bool DefinitionSealed { get; set; }

    /// <summary>Set by the owning object once it is loaded (a struct_ops map may be attached from then on).</summary>
    internal bool ObjectLoaded { get; set; }

    /// <summary>
    /// Initial contents of a global-data map, editable before load. A zero-filled image (.bss, a NOBITS
    /// section whose size the file does not bound) is allocated only when first read or written.
    /// </summary>
    internal byte[]? InitialData
    {
        get => _initialData ??= _zeroImageSize > 0 ? new byte[_zeroImageSize] : null;
        set => _initialData = value;
    }

    private byte[]? _initialData;
    private int _zeroImageSize;

    internal void SetZeroImage(int size) => _zeroImageSize = size;

    /// <summary>False while the image is an untouched zero image: the new kernel map already holds it.</summary>
    internal bool InitialDataMaterialized => _initialData is not null;

    /// <summary>Programs or maps to store into an outer map / program array after creation (slot → target).</summary>
    internal Dictionary<int, object> InitialSlots { get; } = [];

    /// <summary>True once the kernel map exists or the owning object went past the open phase.</summary>
    private bool DefinitionFrozen => IsCreated || DefinitionSealed;

    private T Definable<T>(T value, string field)
    {
        if (DefinitionFrozen)
            throw new BpfException($"map '{Name}': {field} can't be changed after the map was created", Errno.EBUSY);
        return value;
    }

    public bool AutoCreate
    {
        get => _autoCreate;
        set
        {
            if (DefinitionSealed)
                throw new BpfException($"map '{Name}': autocreate can't be changed after the object was prepared or loaded", Errno.EBUSY);
            _autoCreate = value;
        }
    }

    /// <summary>The map's fd (the placeholder fd before creation inside an object), -1 when there is none.</summary>
    public int Fd => _fd?.Value ?? -1;
    public bool IsCreated { get; private set; }

    /// <summary>
    /// Bytes of a global-data map: before load the initial image (writes change what is loaded), after load the
    /// map's shared memory mapping (read-only for .rodata, which is frozen).
    /// After the map is disposed it throws (EBADF); a span taken earlier stays safe to touch but no longer
    /// shows the map (see <see cref="MappedRegion"/>).
    /// </summary>
    public Span<byte> Data
    {
        get
        {
            if (_disposed)
                throw new BpfException($"map '{Name}': data accessed after the map was disposed", Errno.EBADF);
            if (_mapped is not null)
                return _mapped.Span;
            if (InitialData is not null)
                return InitialData;
            throw new BpfException($"map '{Name}': has no memory-mapped data (not a global data map)", Errno.EINVAL);
        }
    }

    /// <summary>False once <see cref="Data"/> is a read-only mapping (a frozen .rodata or .kconfig after load).</summary>
    public bool IsDataWritable => _mapped?.Writable ?? true;

    internal void AdoptFd(FileDescriptor fd) => _fd = fd;

    internal void MarkCreated(FileDescriptor? fd = null)
    {
        if (fd is not null)
            _fd = fd;
        IsCreated = true;
    }

    internal void AttachMapping(MappedRegion mapping) => _mapped = mapping;

    /// <summary>Size of one value as the kernel sees it: per-CPU values are rounded up to 8 bytes per CPU.</summary>
    public int KernelValueSize => IsPerCpu ? (int)((ValueSize + 7) & ~7u) * PossibleCpus.Count : (int)ValueSize;

    public bool IsPerCpu => Type is BpfMapType.PercpuArray or BpfMapType.PercpuHash or BpfMapType.LruPercpuHash
        or BpfMapType.PercpuCgroupStorage;

    /// <summary>Creates a standalone map (not part of an object).</summary>
    public void Create()
    {
        if (IsCreated)
            throw new BpfException($"map '{Name}': already created", Errno.EEXIST);
        _fd = new FileDescriptor(MapCreator.CreateKernelMap(this, btfFd: -1, InnerMap?.Fd ?? -1));
        IsCreated = true;
    }

    /// <summary>Closes the kernel map (an object's unload after a failed load); the initial image stays readable.</summary>
    internal void Release()
    {
        _mapped?.Dispose();
        _mapped = null;
        _fd?.Dispose();
        _fd = null;
        IsCreated = false;
    }

    public void Dispose()
    {
        Release();
        _disposed = true;
    }

    public override string ToString() => $"map '{Name}' ({Type}, key {KeySize}, value {ValueSize}, max {MaxEntries})";

    private int RequireFd()
    {
        if (!IsCreated || _fd is null)
            throw new BpfException($"map '{Name}': not created", Errno.EBADF);
        return _fd.Value;
    }

    private static ReadOnlySpan<byte> AsBytes<T>(in T value) where T : unmanaged
        => MemoryMarshal.AsBytes(new ReadOnlySpan<T>(in value));
}
