using System.Buffers.Binary;
using System.Text;

namespace BpfLoader.Btf;

/// <summary>
/// Hash index from type name to the own type ids carrying it, built once on first lookup. Names are hashed
/// and compared as UTF-8 bytes straight from the string section, so building it allocates two int arrays
/// and no strings. Chains are in ascending id order so the first hit is the lowest id, as libbpf's linear
/// <c>btf__find_by_name_kind</c> would return.
/// </summary>
internal sealed class BtfNameIndex
{
    private readonly int[] _buckets;   // 1 + own type index of the chain head, 0 = empty
    private readonly int[] _next;      // 1 + own type index of the next entry, 0 = end
    private readonly int _mask;

    private BtfNameIndex(int[] buckets, int[] next)
    {
        _buckets = buckets;
        _next = next;
        _mask = buckets.Length - 1;
    }

    public static BtfNameIndex Build(Btf btf)
    {
        int count = btf.OwnTypeCount;
        int size = (int)Math.Max(16, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(count, 1)));
        var buckets = new int[size];
        var next = new int[count];
        var types = btf.TypeData;
        int startId = btf.StartId;
        for (int i = count - 1; i >= 0; i--)
        {
            uint nameOff = BinaryPrimitives.ReadUInt32LittleEndian(types[btf.OffsetOf(startId + i)..]);
            if (nameOff == 0)
                continue;
            int b = (int)(Hash(btf.GetStringBytes(nameOff)) & (uint)(size - 1));
            next[i] = buckets[b];
            buckets[b] = i + 1;
        }
        return new BtfNameIndex(buckets, next);
    }

    /// <summary>Lowest own id named <paramref name="name"/> with <paramref name="kind"/> (any kind when null), or -1.</summary>
    public int Find(Btf btf, ReadOnlySpan<byte> name, BtfKind? kind)
    {
        var types = btf.TypeData;
        for (int e = _buckets[Hash(name) & (uint)_mask]; e != 0; e = _next[e - 1])
        {
            int off = btf.OffsetOf(btf.StartId + e - 1);
            if (kind is { } k && (BtfKind)((BinaryPrimitives.ReadUInt32LittleEndian(types[(off + 4)..]) >> 24) & 0x1f) != k)
                continue;
            if (btf.GetStringBytes(BinaryPrimitives.ReadUInt32LittleEndian(types[off..])).SequenceEqual(name))
                return btf.StartId + e - 1;
        }
        return -1;
    }

    /// <summary>Appends every own id named <paramref name="name"/> to <paramref name="result"/>.</summary>
    public void FindAll(Btf btf, ReadOnlySpan<byte> name, List<int> result)
    {
        var types = btf.TypeData;
        for (int e = _buckets[Hash(name) & (uint)_mask]; e != 0; e = _next[e - 1])
        {
            int off = btf.OffsetOf(btf.StartId + e - 1);
            if (btf.GetStringBytes(BinaryPrimitives.ReadUInt32LittleEndian(types[off..])).SequenceEqual(name))
                result.Add(btf.StartId + e - 1);
        }
    }

    // FNV-1a: short identifiers, good spread, no allocation.
    private static uint Hash(ReadOnlySpan<byte> s)
    {
        uint h = 2166136261;
        foreach (byte c in s)
            h = (h ^ c) * 16777619;
        return h ^ (h >> 15);
    }
}

// Name lookups.
public sealed partial class Btf
{
    private BtfNameIndex? _nameIndex;

    private BtfNameIndex NameIndex
    {
        get
        {
            var idx = Volatile.Read(ref _nameIndex);
            if (idx is null)
            {
                idx = BtfNameIndex.Build(this);
                Interlocked.CompareExchange(ref _nameIndex, idx, null);
            }
            return idx;
        }
    }

    // Own types whose name carries a ___flavor suffix, by essential name; rare in kernels, built on first use.
    private Dictionary<string, List<int>>? _flavoredIndex;

    private void InvalidateNameIndex()
    {
        _nameIndex = null;
        _flavoredIndex = null;
    }

    /// <summary>
    /// Own ids (ascending) whose name is <paramref name="essential"/> followed by a <c>___flavor</c> suffix
    /// (<see cref="BtfNames.EssentialLength"/>); ids named exactly <paramref name="essential"/> are not included.
    /// </summary>
    internal IReadOnlyList<int> FindOwnFlavored(string essential)
    {
        var index = Volatile.Read(ref _flavoredIndex);
        if (index is null)
        {
            index = BuildFlavoredIndex();
            Interlocked.CompareExchange(ref _flavoredIndex, index, null);
        }
        return index.TryGetValue(essential, out var ids) ? ids : [];
    }

    private Dictionary<string, List<int>> BuildFlavoredIndex()
    {
        var index = new Dictionary<string, List<int>>();
        for (int id = StartId; id <= LastId; id++)
        {
            var name = this[id].NameBytes;
            int essential = BtfNames.EssentialLength(name);
            if (essential == name.Length)
                continue;
            string key = Encoding.UTF8.GetString(name[..essential]);
            if (!index.TryGetValue(key, out var list))
                index[key] = list = [];
            list.Add(id);
        }
        return index;
    }

    /// <summary>
    /// libbpf's <c>btf__find_by_name_kind</c>: the lowest id (base first, then own) whose name is
    /// <paramref name="name"/> and kind is <paramref name="kind"/>; 0 for "void" or kind Unknown; -1 if absent.
    /// </summary>
    public int FindByName(string name, BtfKind kind)
    {
        if (kind == BtfKind.Unknown || name == "void")
            return 0;
        return FindCore(name, kind, ownOnly: false);
    }

    /// <summary>Like <see cref="FindByName"/> but only among this BTF's own types (<c>btf__find_by_name_kind_own</c>).</summary>
    public int FindOwnByName(string name, BtfKind kind)
    {
        if (kind == BtfKind.Unknown || name == "void")
            return 0;
        return FindCore(name, kind, ownOnly: true);
    }

    /// <summary>All ids (base first, ascending) whose name is <paramref name="name"/>, of any kind.</summary>
    public IEnumerable<int> FindAllByName(string name)
    {
        var result = new List<int>();
        var utf8 = Encoding.UTF8.GetBytes(name);
        if (utf8.Length == 0)
            return result;
        for (var b = this; b is not null; b = b._base)
            b.NameIndex.FindAll(b, utf8, result);
        result.Sort();
        return result;
    }

    private int FindCore(string name, BtfKind kind, bool ownOnly)
    {
        if (name.Length == 0)
            return -1;
        int max = Encoding.UTF8.GetMaxByteCount(name.Length);
        Span<byte> utf8 = max <= 512 ? stackalloc byte[max] : new byte[max];
        utf8 = utf8[..Encoding.UTF8.GetBytes(name, utf8)];
        if (!ownOnly && _base is not null)
        {
            int id = _base.FindCore(name, kind, ownOnly: false);
            if (id >= 0)
                return id;
        }
        return NameIndex.Find(this, utf8, kind);
    }
}
