using System.Runtime.InteropServices;
using System.Text;

namespace BpfLoader.Btf.Dedup;

/// <summary>
/// A BTF string section under construction: NUL-terminated strings in insertion order, the empty string at
/// offset 0, each distinct string stored once (the first offset is kept), like libbpf's <c>strset</c>.
/// Lookups hash the bytes in an open-addressing table of offsets, so adding strings allocates nothing per string.
/// </summary>
internal sealed class BtfStringSet
{
    private byte[] _buf;
    private int _len;
    private int[] _slots;   // offset + 1; 0 = empty
    private int _used;
    private bool _indexed = true;   // FromRaw defers building the index until the first Add

    /// <summary>An empty set (just ""), sized for about <paramref name="expectedStrings"/> strings in <paramref name="capacityBytes"/>.</summary>
    public BtfStringSet(int capacityBytes = 256, int expectedStrings = 0)
    {
        _buf = new byte[Math.Max(capacityBytes, 16)];
        _len = 1;   // "" at offset 0
        _slots = new int[SlotsFor(expectedStrings)];
    }

    // A power of two keeping the load factor at most 1/2 (Insert's rehash threshold).
    private static int SlotsFor(int strings)
    {
        int size = 64;
        while (size < strings * 2 + 2)
            size *= 2;
        return size;
    }

    /// <summary>Wraps an existing string section as-is (offsets preserved; duplicates inside it are not merged).</summary>
    public static BtfStringSet FromRaw(ReadOnlySpan<byte> raw)
    {
        var set = new BtfStringSet(raw.Length + raw.Length / 4);
        if (raw.IsEmpty)
            return set;
        raw.CopyTo(set._buf);
        set._len = raw.Length;
        set._indexed = false;
        return set;
    }

    /// <summary>Length in bytes of the section.</summary>
    public int Length => _len;

    public ReadOnlySpan<byte> Data => _buf.AsSpan(0, _len);

    /// <summary>The bytes of the string at <paramref name="offset"/> (without NUL); empty when out of range.</summary>
    public ReadOnlySpan<byte> GetBytes(uint offset)
    {
        if (offset >= (uint)_len)
            return default;
        var rest = _buf.AsSpan((int)offset, _len - (int)offset);
        int nul = rest.IndexOf((byte)0);
        return nul < 0 ? rest : rest[..nul];
    }

    public string Get(uint offset) => Encoding.UTF8.GetString(GetBytes(offset));

    public bool IsValidOffset(uint offset) => offset < (uint)_len;

    public uint Add(string s) => s.Length == 0 ? 0 : Add(Encoding.UTF8.GetBytes(s));

    /// <summary>Adds <paramref name="s"/> unless present; returns its offset.</summary>
    public uint Add(ReadOnlySpan<byte> s)
    {
        if (s.IsEmpty)
            return 0;
        if (!_indexed)
            BuildIndex();
        uint h = Hash(s);
        int mask = _slots.Length - 1;
        for (int i = (int)(h & (uint)mask); ; i = (i + 1) & mask)
        {
            int slot = _slots[i];
            if (slot == 0)
                break;
            if (GetBytes((uint)(slot - 1)).SequenceEqual(s))
                return (uint)(slot - 1);
        }
        int off = _len;
        if (_len + s.Length + 1 > _buf.Length)
            Array.Resize(ref _buf, Math.Max(_buf.Length * 2, _len + s.Length + 1));
        s.CopyTo(_buf.AsSpan(off));
        _buf[off + s.Length] = 0;
        _len += s.Length + 1;
        Insert(h, off);
        return (uint)off;
    }

    private void Insert(uint h, int off)
    {
        if ((_used + 1) * 2 > _slots.Length)
            Rehash();
        int mask = _slots.Length - 1;
        int i = (int)(h & (uint)mask);
        while (_slots[i] != 0)
            i = (i + 1) & mask;
        _slots[i] = off + 1;
        _used++;
    }

    private void Rehash()
    {
        var old = _slots;
        _slots = new int[old.Length * 2];
        _used = 0;
        foreach (int slot in old)
        {
            if (slot != 0)
                Insert(Hash(GetBytes((uint)(slot - 1))), slot - 1);
        }
    }

    // Indexes every string start of a raw section; the first occurrence of duplicates wins.
    private void BuildIndex()
    {
        _indexed = true;
        _slots = new int[SlotsFor(Data.Count((byte)0))];
        _used = 0;
        for (int off = 1; off < _len;)
        {
            var s = GetBytes((uint)off);
            if (!s.IsEmpty && !Contains(s, Hash(s)))
                Insert(Hash(s), off);
            off += s.Length + 1;
        }
    }

    private bool Contains(ReadOnlySpan<byte> s, uint h)
    {
        int mask = _slots.Length - 1;
        for (int i = (int)(h & (uint)mask); _slots[i] != 0; i = (i + 1) & mask)
        {
            if (GetBytes((uint)(_slots[i] - 1)).SequenceEqual(s))
                return true;
        }
        return false;
    }

    // FNV-1a over 4-byte words then bytes: cheap and well spread for identifier-like strings.
    private static uint Hash(ReadOnlySpan<byte> s)
    {
        uint h = 2166136261;
        var words = MemoryMarshal.Cast<byte, uint>(s);
        foreach (uint w in words)
            h = (h ^ w) * 16777619;
        for (int i = words.Length * 4; i < s.Length; i++)
            h = (h ^ s[i]) * 16777619;
        return h ^ (h >> 15);
    }
}
