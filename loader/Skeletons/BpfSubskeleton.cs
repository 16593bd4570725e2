using BpfLoader.Btf;
using BpfLoader.Diagnostics;
using BpfLoader.Maps;
using BpfLoader.Objects;
using BpfLoader.Programs;

namespace BpfLoader.Skeletons;

/// <summary>
/// The runtime half of a generated subskeleton (libbpf's <c>bpf_object__open_subskeleton</c>, libbpf-messages.md
/// §8.5): a library's view of its maps, programs and variables inside an object it was linked into, opened or
/// loaded. Maps and programs are found by name; each variable by name among the VARs of its map's DATASEC in the
/// object's BTF, at whatever offset the linker put it — so before load the views show initial values, after load
/// the mmap'ed memory. Opening loads nothing; disposing never touches the object.
/// </summary>
public abstract class BpfSubskeleton : IDisposable
{
    /// <summary>Binds to <paramref name="obj"/>, the final object the library was linked into.</summary>
    protected BpfSubskeleton(BpfObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        if (obj.Btf is null)
        {
            // libbpf returns a stale errno here; -EINVAL is what callers see from us.
            LibbpfLog.Warn($"subskeletons require BTF at runtime (object {obj.Name})");
            throw new BpfException($"subskeletons require BTF at runtime (object {obj.Name})", Errno.EINVAL);
        }
        Object = obj;
    }

    /// <summary>The (final) object the subskeleton was opened on.</summary>
    public BpfObject Object { get; }

    // Upstream prints the maps text after a program lookup failure too.
    /// <summary>The maps named <paramref name="names"/>, in order (a missing one is a typed error).</summary>
    protected BpfMap[] BindMaps(string[] names) => SkeletonBinding.Maps(Object, names, "failed to populate subskeleton maps");

    /// <summary>The programs named <paramref name="names"/>, in order (a missing one is a typed error).</summary>
    protected BpfProgram[] BindPrograms(string[] names) => SkeletonBinding.Programs(Object, names, "failed to populate subskeleton maps");

    /// <summary>Offsets of <paramref name="names"/> in <paramref name="map"/>'s DATASEC; -1 for a variable the object does not have.</summary>
    protected int[] ResolveVariables(BpfMap map, string[] names)
    {
        var btf = Object.Btf!;
        var type = map.BtfValueTypeId > 0 ? btf[map.BtfValueTypeId] : default;
        if (type.IsVoid || type.Kind != BtfKind.Datasec)
        {
            string kind = type.IsVoid ? "void" : BtfKinds.Name(type.Kind).ToLowerInvariant(); // libbpf's btf_kind_str
            LibbpfLog.Warn($"type for map '{map.Name}' is not a datasec: {kind}");
            throw new BpfException($"type for map '{map.Name}' is not a datasec: {kind}", Errno.EINVAL);
        }
        var offsets = new int[names.Length];
        for (int i = 0; i < names.Length; i++)
        {
            offsets[i] = -1;
            foreach (var v in type.DatasecVars)
            {
                if (btf[v.Type].Name == names[i])
                {
                    offsets[i] = (int)v.Offset;
                    break;
                }
            }
        }
        return offsets;
    }

    /// <summary>The error for a variable the object did not have when the subskeleton was opened.</summary>
    public static BpfException Unresolved(SkeletonSection section, string variable)
        => new($"subskeleton: variable '{variable}' of {section.Map.SectionName} is not in the object", Errno.ENOENT);

    /// <summary>Drops the subskeleton's views; the object stays as it is.</summary>
    public void Dispose() => GC.SuppressFinalize(this);
}
