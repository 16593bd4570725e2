using BpfLoader.Diagnostics;
using BpfLoader.Links;
using BpfLoader.Maps;
using BpfLoader.Objects;
using BpfLoader.Programs;
using BpfLoader.StructOps;

namespace BpfLoader.Skeletons;

/// <summary>
/// The runtime half of a skeleton (libbpf's <c>bpf_object_skeleton</c>): an object opened from its embedded ELF
/// under the skeleton's name, loaded and attached with libbpf's skeleton messages. A generated skeleton class
/// derives from this and adds typed properties for its maps, programs, global variables and struct_ops shadows.
/// </summary>
public class BpfSkeleton : IDisposable
{
    private readonly List<BpfLink> _links = [];

    /// <summary>Opens <paramref name="elf"/> as object <paramref name="name"/> (generated skeletons pass their embedded bytes).</summary>
    protected BpfSkeleton(string name, ReadOnlyMemory<byte> elf, ObjectOpenOptions? options = null)
    {
        Name = name;
        // libbpf opens a skeleton's object from memory with the skeleton name as object name.
        try
        {
            Object = BpfObject.Open(elf, name, options);
        }
        catch (BpfException e)
        {
            LibbpfLog.Warn($"failed to initialize skeleton BPF object '{name}': {Errno.Str(e.Error)}");
            throw;
        }
    }

    /// <summary>
    /// Generated skeletons bind their maps by name (a data section by its section name) in libbpf's order;
    /// a missing one prints libbpf's <c>failed to find skeleton map</c> and <c>failed to populate skeleton maps</c>.
    /// </summary>
    protected BpfMap[] BindMaps(string[] names)
        => SkeletonBinding.Maps(Object, names, $"failed to populate skeleton maps for '{Name}'");

    /// <summary>Entry programs by name; a missing one prints <c>failed to find skeleton program</c>, <c>failed to populate skeleton progs</c>.</summary>
    protected BpfProgram[] BindPrograms(string[] names)
        => SkeletonBinding.Programs(Object, names, $"failed to populate skeleton progs for '{Name}'");

    /// <summary>A generated skeleton's object bytes, embedded by the build as a manifest resource of its assembly.</summary>
    public static byte[] EmbeddedObject(System.Reflection.Assembly assembly, string resource, int size)
    {
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new BpfException($"skeleton: object resource '{resource}' is not embedded in {assembly.GetName().Name}", Errno.ENOENT);
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        if (bytes.Length != size)
            throw new BpfException($"skeleton: object resource '{resource}' has {bytes.Length} bytes, the skeleton was generated from {size}", Errno.EINVAL);
        return bytes;
    }

    /// <summary>The runtime shadow of a struct_ops map, for generated shadow types.</summary>
    public static StructOpsShadow ShadowOf(BpfMap map)
        => map.StructOps ?? throw new BpfException($"map '{map.Name}': not a struct_ops map", Errno.EINVAL);

    /// <summary>Opens the skeleton of <paramref name="name"/> from an object file's bytes.</summary>
    public static BpfSkeleton Open(string name, string objectPath, ObjectOpenOptions? options = null)
        => new(name, File.ReadAllBytes(objectPath), options);

    /// <summary>The object name (<c>bpftool gen skeleton</c>'s <c>name</c>).</summary>
    public string Name { get; }
    /// <summary>The object underneath, for anything the typed properties do not cover.</summary>
    public BpfObject Object { get; }

    /// <summary>The map named <paramref name="name"/>.</summary>
    public BpfMap Map(string name) => Object.Map(name);
    /// <summary>The entry program named <paramref name="name"/>.</summary>
    public BpfProgram Program(string name) => Object.Program(name);
    /// <summary>The shadow of struct_ops map <paramref name="mapName"/>.</summary>
    public StructOpsShadow StructOps(string mapName)
        => Object.Map(mapName).StructOps ?? throw new BpfException($"skeleton '{Name}': map '{mapName}' is not a struct_ops map", Errno.EINVAL);

    /// <summary>The links <see cref="Attach"/> made, destroyed with the skeleton.</summary>
    public IReadOnlyList<BpfLink> Links => _links;

    /// <summary><c>&lt;name&gt;__load</c>: on failure also prints <c>failed to load BPF skeleton '%s': %s</c>.</summary>
    public void Load()
    {
        try
        {
            Object.Load();
        }
        catch (BpfException e)
        {
            LibbpfLog.Warn($"failed to load BPF skeleton '{Name}': {Errno.Str(e.Error)}");
            throw;
        }
    }

    /// <summary>C-style <c>&lt;name&gt;__load</c>: 0 on success, the negative errno on failure (messages as <see cref="Load"/>).</summary>
    public int TryLoad()
    {
        try
        {
            Load();
            return 0;
        }
        catch (BpfException e)
        {
            return e.Error;
        }
    }

    /// <summary>
    /// <c>&lt;name&gt;__attach</c>: auto-attaches loaded programs whose section says how, and struct_ops maps
    /// that were created (libbpf 1.5+ skeleton auto-attach).
    /// </summary>
    public void Attach()
    {
        foreach (var prog in Object.Programs.Where(p => p.IsLoaded && p.Definition?.AutoAttach is not (null or AutoAttachKind.None)))
            _links.Add(prog.Attach());
        foreach (var map in Object.Maps.Where(m => m.StructOps is not null && m.IsCreated))
        {
            try
            {
                _links.Add(map.AttachStructOps());
            }
            catch (BpfException e)
            {
                LibbpfLog.Warn($"map '{map.Name}': failed to auto-attach: {Errno.Str(e.Error)}");
                throw;
            }
        }
    }

    /// <summary>Detaches what <see cref="Attach"/> attached.</summary>
    public void Detach()
    {
        foreach (var link in _links)
            link.Dispose();
        _links.Clear();
    }

    /// <summary>Destroys the links, then closes the object (<c>&lt;name&gt;__destroy</c>).</summary>
    public void Dispose()
    {
        Detach();
        Object.Dispose();
        GC.SuppressFinalize(this);
    }
}
