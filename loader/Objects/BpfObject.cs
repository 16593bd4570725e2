using BpfLoader.Core;
using BpfLoader.Diagnostics;
using BpfLoader.Elf;
using BpfLoader.Externs;
using BpfLoader.Kernel;
using BpfLoader.Links;
using BpfLoader.Maps;
using BpfLoader.Programs;

namespace BpfLoader.Objects;

using Btf = BpfLoader.Btf.Btf;
using BtfExt = BpfLoader.Btf.BtfExt;

/// <summary>Options for opening an object (libbpf's <c>bpf_object_open_opts</c> subset).</summary>
public sealed record ObjectOpenOptions
{
    /// <summary>Overrides the object name used in messages and internal map names.</summary>
    public string? ObjectName { get; init; }
    /// <summary>Where maps with <c>pinning = LIBBPF_PIN_BY_NAME</c> are pinned (default /sys/fs/bpf).</summary>
    public string PinRoot { get; init; } = "/sys/fs/bpf";
    /// <summary>Verifier log level for every program (0 = a log only after a failure).</summary>
    public uint LogLevel { get; init; }
    /// <summary>
    /// Sanitize the object BTF as if the kernel lacked these features (null: probe the kernel). Lets a
    /// new kernel exercise the rewrites older kernels need.
    /// </summary>
    public IReadOnlySet<BtfFeature>? AssumeMissingBtfFeatures { get; init; }
    /// <summary>
    /// libbpf's <c>btf_custom_path</c>: a BTF file used instead of the kernel's for CO-RE relocations
    /// (module BTFs are then not searched).
    /// </summary>
    public string? BtfCustomPath { get; init; }
    /// <summary>libbpf's <c>kconfig</c> option: extra <c>CONFIG_X=value</c> lines that take precedence over the system config.</summary>
    public string? Kconfig { get; init; }
    /// <summary>
    /// The Kconfig file for <c>__kconfig</c> externs (plain or gzip) instead of <c>/boot/config-$(uname -r)</c>
    /// or <c>/proc/config.gz</c>.
    /// </summary>
    public string? KconfigPath { get; init; }
    /// <summary>When <c>__arg_ctx</c> parameters are rewritten for kernels without native support (default: libbpf's, when needed).</summary>
    public ArgCtx.ArgCtxFallbackMode ArgCtxFallback { get; init; } = ArgCtx.ArgCtxFallbackMode.Automatic;
}

/// <summary>
/// A BPF object file opened for loading, like libbpf's <c>struct bpf_object</c>: its programs and maps can be
/// inspected and adjusted after <see cref="Open(string, ObjectOpenOptions?)"/>, then <see cref="Load"/> creates
/// the maps and loads the programs. Disposing closes every fd the object owns (maps, programs, BTF).
/// </summary>
public sealed class BpfObject : IDisposable
{
    private readonly List<BpfMap> _maps;
    private readonly List<BpfProgram> _programs;
    private readonly List<BpfProgram> _subprograms;
    private bool _disposed;
    private ObjectState _state = ObjectState.Open;

    internal BpfObject(string name, string path, ElfFile elf, Btf? btf, BtfExt? btfExt, string license, uint kernVersion,
        List<BpfProgram> programs, List<BpfProgram> subprograms, List<BpfMap> maps,
        Dictionary<BpfProgram, List<Relocation>> relocations, ObjectExterns externs, ObjectOpenOptions options)
    {
        Name = name;
        Path = path;
        Elf = elf;
        Btf = btf;
        BtfExt = btfExt;
        License = license;
        KernVersion = kernVersion;
        _programs = programs;
        _subprograms = subprograms;
        _maps = maps;
        Relocations = relocations;
        Externs = externs;
        Options = options;
        foreach (var m in maps)
            m.ObjectName = name;
    }

    /// <summary>Object name: the file name up to the first dot (<c>minimal</c> for <c>minimal.bpf.o</c>).</summary>
    public string Name { get; }
    /// <summary>The path it was opened from (the name for in-memory objects); used in "failed to load object" messages.</summary>
    public string Path { get; }
    public string License { get; }
    public uint KernVersion { get; }
    public ObjectState State
    {
        get => _state;
        internal set
        {
            _state = value;
            // Maps and programs know only what their own rules need: whether their settings may still change.
            foreach (var m in _maps)
            {
                m.DefinitionSealed = value != ObjectState.Open;
                m.ObjectLoaded = value == ObjectState.Loaded;
            }
            foreach (var p in _programs.Concat(_subprograms))
                p.ObjectLoaded = value == ObjectState.Loaded;
        }
    }

    /// <summary>The object's own BTF (.BTF), or null when it has none.</summary>
    public Btf? Btf { get; }
    public BtfExt? BtfExt { get; }

    /// <summary>Entry programs (not .text subprograms), ordered by section index then instruction offset.</summary>
    public IReadOnlyList<BpfProgram> Programs => _programs;
    public IReadOnlyList<BpfMap> Maps => _maps;

    internal ElfFile Elf { get; }
    internal IReadOnlyList<BpfProgram> Subprograms => _subprograms;
    internal Dictionary<BpfProgram, List<Relocation>> Relocations { get; }
    internal ObjectOpenOptions Options { get; }
    /// <summary>The object's externs (collected at open, resolved in the prepare phase).</summary>
    internal ObjectExterns Externs { get; }
    /// <summary>The CO-RE relocations the prepare phase applied, for the verifier-log fix-up of a failed load.</summary>
    internal IReadOnlyList<AppliedCoreRelo> AppliedCoreRelos { get; set; } = [];
    internal FileDescriptor? BtfFd { get; set; }
    /// <summary>Between prepare and load: each autoloaded program linked with its subprograms and relocated.</summary>
    internal Dictionary<BpfProgram, LinkedProgram>? Linked { get; set; }
    /// <summary>BTF features the kernel lacks (decided when the BTF is loaded).</summary>
    internal IReadOnlySet<BtfFeature> MissingBtfFeatures { get; set; } = new HashSet<BtfFeature>();

    public static BpfObject Open(string path, ObjectOpenOptions? options = null)
    {
        options ??= new ObjectOpenOptions();
        LibbpfLog.Debug($"loading object from {path}");
        var elf = ElfFile.Open(path);
        return ObjectReader.Read(elf, options.ObjectName ?? elf.Name, path, options);
    }

    /// <summary>Opens an object from memory; <paramref name="name"/> plays the role of the file name.</summary>
    public static BpfObject Open(ReadOnlyMemory<byte> elfBytes, string name, ObjectOpenOptions? options = null)
    {
        options ??= new ObjectOpenOptions();
        LibbpfLog.Debug($"loading object '{name}' from buffer");
        var elf = ElfFile.Parse(elfBytes, name);
        return ObjectReader.Read(elf, options.ObjectName ?? name, name, options);
    }

    public BpfMap? FindMap(string name)
        => _maps.FirstOrDefault(m => m.Name == name) ?? _maps.FirstOrDefault(m => m.IsInternal && m.SectionName == name);

    public BpfMap Map(string name)
        => FindMap(name) ?? throw new BpfException($"object '{Name}': no map '{name}'", Errno.ENOENT);

    public BpfProgram? FindProgram(string name) => _programs.FirstOrDefault(p => p.Name == name);

    public BpfProgram Program(string name)
        => FindProgram(name) ?? throw new BpfException($"object '{Name}': no program '{name}'", Errno.ENOENT);

    /// <summary>The prepare phase alone (libbpf 1.6 <c>bpf_object__prepare</c>): externs, relocation, BTF, maps.</summary>
    public void Prepare()
    {
        ThrowIfDisposed();
        if (State != ObjectState.Open)
        {
            throw LibbpfError.Log($"object '{Name}': prepare loading can't be attempted twice", Errno.EINVAL);
        }
        try
        {
            ObjectLoader.Prepare(this);
        }
        catch (BpfException e) when (BpfCapabilities.Explain(e) is BpfPermissionException permission)
        {
            throw permission;
        }
    }

    /// <summary>Prepares (if not done) and loads every autoloaded program; a second call is refused as in libbpf.</summary>
    public void Load()
    {
        ThrowIfDisposed();
        if (State == ObjectState.Loaded)
        {
            throw LibbpfError.Log($"object '{Name}': load can't be attempted twice", Errno.EINVAL);
        }
        try
        {
            if (State == ObjectState.Open)
                ObjectLoader.Prepare(this);
            ObjectLoader.LoadPrograms(this);
        }
        catch (BpfException e) when (BpfCapabilities.Explain(e) is BpfPermissionException permission)
        {
            throw permission; // a bare -EPERM from a process without CAP_BPF: say so
        }
    }

    /// <summary>Attaches every loaded program whose section says how (skeleton-style attach).</summary>
    public IReadOnlyList<BpfLink> AttachAll()
    {
        var links = new List<BpfLink>();
        try
        {
            foreach (var p in _programs.Where(p => p.IsLoaded && p.Definition?.AutoAttach is not (null or AutoAttachKind.None)))
                links.Add(p.Attach());
        }
        catch
        {
            foreach (var l in links)
                l.Dispose();
            throw;
        }
        return links;
    }

    /// <summary>Closes programs, maps and BTF (libbpf's unload + close).</summary>
    internal void Unload()
    {
        foreach (var p in _programs.Concat(_subprograms))
            p.Dispose();
        foreach (var m in _maps)
            m.Release();
        BtfFd?.Dispose();
        BtfFd = null;
    }

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        Unload();
        foreach (var m in _maps)
            m.Dispose();
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    public override string ToString() => $"object '{Name}' ({_programs.Count} programs, {_maps.Count} maps, {State})";
}
