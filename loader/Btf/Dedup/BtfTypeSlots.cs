namespace BpfLoader.Btf.Dedup;

/// <summary>
/// Where a raw type record (as 32-bit words) keeps type ids and string offsets, per kind: the one place that
/// knows the record layouts for rewriting. Word 0 is name_off, 1 info, 2 size/type, then the kind's data.
/// </summary>
internal static class BtfTypeSlots
{
    /// <summary>Word indexes holding type ids, in libbpf's visiting order (ARRAY: element, then index).</summary>
    public static SlotList TypeIdSlots(BtfKind kind, int vlen) => kind switch
    {
        BtfKind.Ptr or BtfKind.Typedef or BtfKind.Volatile or BtfKind.Const or BtfKind.Restrict or BtfKind.Func
            or BtfKind.Var or BtfKind.DeclTag or BtfKind.TypeTag => new SlotList(2, 1, 0),
        BtfKind.Array => new SlotList(3, 2, 1),
        BtfKind.Struct or BtfKind.Union => new SlotList(4, vlen, 3),
        BtfKind.FuncProto => new SlotList(2, 1, 0, 4, vlen, 2),
        BtfKind.Datasec => new SlotList(3, vlen, 3),
        _ => default,
    };

    /// <summary>Word indexes holding string offsets: the name, then member/parameter/enumerator names.</summary>
    public static SlotList StringSlots(BtfKind kind, int vlen) => kind switch
    {
        BtfKind.Struct or BtfKind.Union or BtfKind.Enum64 => new SlotList(0, 1, 0, 3, vlen, 3),
        BtfKind.Enum or BtfKind.FuncProto => new SlotList(0, 1, 0, 3, vlen, 2),
        _ => new SlotList(0, 1, 0),
    };

    /// <summary>
    /// Up to two arithmetic runs of word indexes (first, count, stride); enumerable without allocating.
    /// </summary>
    public readonly struct SlotList(int first, int count, int stride, int first2 = 0, int count2 = 0, int stride2 = 0)
    {
        public int Count => count + count2;

        public int this[int i] => i < count ? first + i * stride : first2 + (i - count) * stride2;

        public Enumerator GetEnumerator() => new(this);

        public struct Enumerator(SlotList list)
        {
            private int _i = -1;

            public readonly int Current => list[_i];

            public bool MoveNext() => ++_i < list.Count;
        }
    }
}
