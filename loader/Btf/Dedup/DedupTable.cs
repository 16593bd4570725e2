namespace BpfLoader.Btf.Dedup;

/// <summary>
/// The dedup multimap from a 64-bit type signature to canonical type ids. It reproduces libbpf's hashmap
/// bucket mechanics (power-of-two buckets chosen by the top bits of <c>key * 11400714819323198485</c>, new
/// entries pushed at the head of their bucket chain, capacity doubled when <c>(size+1)*4/3 &gt; capacity</c>
/// with entries re-pushed bucket by bucket) so candidates come out in libbpf's order: that order decides which
/// canonical type wins in the rare cases where several would match.
/// </summary>
internal sealed class DedupTable
{
    private int[] _buckets = [];   // head entry index + 1, 0 = empty
    private int _capBits;
    private long[] _keys;
    private int[] _values;
    private int[] _next;   // next entry index + 1
    private int _size;

    /// <summary>
    /// <paramref name="expectedEntries"/> sizes the entry arrays once (dedup adds at most one entry per type);
    /// the bucket array still grows as libbpf's does, since its growth history decides the candidate order.
    /// </summary>
    public DedupTable(int expectedEntries = 16)
    {
        int n = Math.Max(expectedEntries, 16);
        _keys = new long[n];
        _values = new int[n];
        _next = new int[n];
    }

    public void Add(long key, int value)
    {
        if ((_size + 1) * 4 / 3 > _buckets.Length)
            Grow();
        if (_size == _keys.Length)
        {
            Array.Resize(ref _keys, _size * 2);
            Array.Resize(ref _values, _size * 2);
            Array.Resize(ref _next, _size * 2);
        }
        int e = _size++;
        _keys[e] = key;
        _values[e] = value;
        Push(_buckets, Bucket(key, _capBits), e);
    }

    /// <summary>Candidates for <paramref name="key"/> in libbpf's iteration order.</summary>
    public Enumerator Find(long key) => new(this, key);

    private void Push(int[] buckets, int b, int e)
    {
        _next[e] = buckets[b];
        buckets[b] = e + 1;
    }

    private void Grow()
    {
        int bits = Math.Max(_capBits + 1, 2);
        var fresh = new int[1 << bits];
        for (int b = 0; b < _buckets.Length; b++)
        {
            for (int e = _buckets[b] - 1; e >= 0;)
            {
                int next = _next[e] - 1;
                Push(fresh, Bucket(_keys[e], bits), e);
                e = next;
            }
        }
        _buckets = fresh;
        _capBits = bits;
    }

    private static int Bucket(long key, int bits) => bits == 0 ? 0 : (int)(unchecked((ulong)key * 11400714819323198485UL) >> (64 - bits));

    public struct Enumerator(DedupTable table, long key)
    {
        private int _e = table._buckets.Length == 0 ? -2 : -1;

        public readonly int Current => table._values[_e];

        public bool MoveNext()
        {
            if (_e == -2)
                return false;
            _e = _e == -1 ? table._buckets[Bucket(key, table._capBits)] - 1 : table._next[_e] - 1;
            while (_e >= 0 && table._keys[_e] != key)
                _e = table._next[_e] - 1;
            if (_e < 0)
            {
                _e = -2;
                return false;
            }
            return true;
        }

        public readonly Enumerator GetEnumerator() => this;
    }
}
