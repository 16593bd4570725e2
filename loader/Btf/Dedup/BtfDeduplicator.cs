using BpfLoader.Diagnostics;

namespace BpfLoader.Btf.Dedup;

/// <summary>
/// libbpf's <c>btf__dedup</c> for a non-split BTF: the same phases, the same equivalence rules and the same
/// candidate order, so the result has libbpf's type count and order. Pipeline:
/// <list type="number">
/// <item>strings — rebuild the string section from the references, in visiting order (skipped when the caller
///   says the strings are already unique, as libbpf does for BTF built from scratch, e.g. the linker's);</item>
/// <item>primitives — INT, FLOAT, FWD, ENUM, ENUM64 by signature, forward enums resolved to full ones;</item>
/// <item>structs, unions, typedefs — graph equivalence with a hypothetical mapping, FWDs resolved on the way;</item>
/// <item>forwards left over — resolved to the unique struct/union of that name, if unique;</item>
/// <item>reference types — modifiers, PTR, FUNC, TYPE_TAG, DECL_TAG, ARRAY, FUNC_PROTO, bottom-up;</item>
/// <item>compaction and remapping — canonical types kept in order, every type id rewritten (also in
///   <see cref="IBtfDedupReferences"/>).</item>
/// </list>
/// VAR and DATASEC are never merged. Errors (an unknown kind, a reference cycle not through a struct or
/// typedef, a dangling id) throw <see cref="BpfException"/> with -EINVAL or -ELOOP; the input table is then
/// partially rewritten, as libbpf leaves its BTF.
/// </summary>
internal sealed partial class BtfDeduplicator
{
    private const int Unprocessed = -1, InProgress = -2;

    private readonly BtfTypeTable _btf;
    private readonly IBtfDedupReferences? _ext;
    private readonly int[] _map;
    private readonly int[] _hypot;
    private readonly List<int> _hypotList = [];
    private bool _hypotAdjustCanon;
    private readonly DedupTable _table;

    private BtfDeduplicator(BtfTypeTable btf, IBtfDedupReferences? ext)
    {
        _btf = btf;
        _ext = ext;
        int n = btf.TypeCount;
        _map = new int[n];
        _hypot = new int[n];
        _hypot.AsSpan().Fill(Unprocessed);
        _table = new DedupTable(n);
        for (int id = 1; id < n; id++)
            _map[id] = btf.Kind(id) is BtfKind.Var or BtfKind.Datasec ? id : Unprocessed;
    }

    /// <summary>
    /// Deduplicates <paramref name="btf"/> in place (types compacted, strings replaced unless
    /// <paramref name="stringsDeduplicated"/>) and returns it.
    /// <paramref name="stringsDeduplicated"/>: skip the string phase (every string is already stored once and
    /// unreferenced strings must stay, as in libbpf's linker output).
    /// </summary>
    public static BtfTypeTable Run(BtfTypeTable btf, IBtfDedupReferences? ext = null, bool stringsDeduplicated = false)
    {
        var d = new BtfDeduplicator(btf, ext);
        if (!stringsDeduplicated)
            d.DedupStrings();
        d.DedupPrimitives();
        d.DedupStructs();
        d.ResolveForwards();
        d.DedupReferences();
        return d.CompactAndRemap();
    }

    // ---- phase 1: strings ----

    private void DedupStrings()
    {
        var old = _btf.Strings;
        var fresh = new BtfStringSet(old.Length, old.Data.Count((byte)0));
        uint Remap(uint off) => off == 0 ? 0 : fresh.Add(old.GetBytes(off));
        for (int id = 1; id < _btf.TypeCount; id++)
        {
            var rec = _btf.Record(id);
            foreach (int slot in BtfTypeSlots.StringSlots(_btf.Kind(id), _btf.Vlen(id)))
                rec[slot] = Remap(rec[slot]);
        }
        _ext?.RemapStrings(Remap);
        _btf.ReplaceStrings(fresh);
    }

    // ---- phase 2: primitive types ----

    private void DedupPrimitives()
    {
        for (int id = 1; id < _btf.TypeCount; id++)
        {
            var t = _btf.Record(id);
            var kind = DedupSignatures.Kind(t);
            long h;
            int newId = id;
            switch (kind)
            {
                case BtfKind.Int:
                    h = DedupSignatures.IntOrDeclTag(t);
                    newId = FindEqual(h, t, id);
                    break;
                case BtfKind.Float or BtfKind.Fwd:
                    h = DedupSignatures.Common(t);
                    foreach (int cand in _table.Find(h))
                    {
                        if (DedupSignatures.EqualCommon(t, _btf.Record(cand)))
                        {
                            newId = cand;
                            break;
                        }
                    }
                    break;
                case BtfKind.Enum or BtfKind.Enum64:
                    h = DedupSignatures.Enum(t);
                    foreach (int cand in _table.Find(h))
                    {
                        var c = _btf.Record(cand);
                        if (DedupSignatures.Kind(c) == kind && DedupSignatures.EqualAll(t, c))
                        {
                            newId = cand;
                            break;
                        }
                        if (DedupSignatures.CompatEnum(t, c))
                        {
                            if (DedupSignatures.IsEnumFwd(t))
                            {
                                newId = cand;
                                break;
                            }
                            _map[cand] = id;   // the canonical forward now stands for this full enum
                        }
                    }
                    break;
                case BtfKind.Unknown when t.Length == 0:
                    continue;
                case > BtfKinds.Max or BtfKind.Unknown:
                    throw UnknownKind(kind, id);
                default:
                    continue;
            }
            _map[id] = newId;
            if (newId == id)
                _table.Add(h, id);
        }
    }

    // The first candidate whose every word equals t's (same kind implied by the info word), else id itself.
    private int FindEqual(long h, ReadOnlySpan<uint> t, int id)
    {
        foreach (int cand in _table.Find(h))
        {
            if (DedupSignatures.EqualAll(t, _btf.Record(cand)))
                return cand;
        }
        return id;
    }

    // ---- phase 3: structs, unions, typedefs ----

    private void DedupStructs()
    {
        for (int id = 1; id < _btf.TypeCount; id++)
        {
            var kind = _btf.Kind(id);
            if (kind is not (BtfKind.Struct or BtfKind.Union or BtfKind.Typedef) || _map[id] >= 0)
                continue;
            var t = _btf.Record(id);
            long h = kind == BtfKind.Typedef ? DedupSignatures.Typedef(t) : DedupSignatures.Struct(t);
            int newId = id;
            foreach (int cand in _table.Find(h))
            {
                var c = _btf.Record(cand);
                bool shallow = kind == BtfKind.Typedef
                    ? c[0] == t[0] && c[1] == t[1]
                    : DedupSignatures.ShallowEqualStruct(t, c);
                if (!shallow)
                    continue;
                ClearHypot();
                if (!IsEquivalent(id, cand))
                    continue;
                MergeHypot();
                if (_hypotAdjustCanon)
                    continue;
                newId = cand;
                break;
            }
            _map[id] = newId;
            if (newId == id)
                _table.Add(h, id);
        }
    }

    // ---- phase 4: forwards that still stand alone ----

    private void ResolveForwards()
    {
        var unique = new Dictionary<uint, int>();   // name offset -> canonical struct/union id, 0 = ambiguous
        for (int id = 1; id < _btf.TypeCount; id++)
        {
            if (_btf.Kind(id) is not (BtfKind.Struct or BtfKind.Union) || _map[id] != id)
                continue;
            uint name = _btf.NameOff(id);
            unique[name] = unique.ContainsKey(name) ? 0 : id;
        }
        for (int id = 1; id < _btf.TypeCount; id++)
        {
            if (_btf.Kind(id) != BtfKind.Fwd || _map[id] != id)
                continue;
            if (!unique.TryGetValue(_btf.NameOff(id), out int cand) || cand == 0)
                continue;
            bool unionFwd = _btf.KindFlag(id);
            if ((_btf.Kind(cand) == BtfKind.Union) == unionFwd)
                _map[id] = cand;
        }
    }

    // ---- phase 5: reference types ----

    private void DedupReferences()
    {
        for (int id = 1; id < _btf.TypeCount; id++)
            DedupReference(id);
    }

    private int DedupReference(int id)
    {
        if (_map[id] == InProgress)
            throw new BpfException($"BTF dedup: reference loop through type [{id}]", Errno.ELOOP);
        if (_map[id] >= 0)
            return Resolve(id);
        var kind = _btf.Kind(id);
        var t = _btf.Record(id);
        _map[id] = InProgress;
        long h;
        switch (kind)
        {
            case BtfKind.Const or BtfKind.Volatile or BtfKind.Restrict or BtfKind.Ptr or BtfKind.Func or BtfKind.TypeTag:
                t[2] = (uint)DedupReference((int)t[2]);
                h = DedupSignatures.Common(t);
                break;
            case BtfKind.DeclTag:
                t[2] = (uint)DedupReference((int)t[2]);
                h = DedupSignatures.IntOrDeclTag(t);
                break;
            case BtfKind.Array:
                t[3] = (uint)DedupReference((int)t[3]);
                t[4] = (uint)DedupReference((int)t[4]);
                h = DedupSignatures.Array(t);
                break;
            case BtfKind.FuncProto:
                t[2] = (uint)DedupReference((int)t[2]);
                for (int i = 4; i < t.Length; i += 2)
                    t[i] = (uint)DedupReference((int)t[i]);
                h = DedupSignatures.FuncProto(t);
                break;
            default:
                throw UnknownKind(kind, id);
        }
        int newId = FindEqual(h, t, id);
        _map[id] = newId;
        if (newId == id)
            _table.Add(h, id);
        return newId;
    }

    // ---- phases 6 and 7: compaction, remapping ----

    private BtfTypeTable CompactAndRemap()
    {
        int n = _btf.TypeCount;
        var keep = new bool[n];
        var newId = _hypot;   // reused, as libbpf does
        newId.AsSpan().Fill(Unprocessed);
        newId[0] = 0;
        int next = 1;
        for (int id = 1; id < n; id++)
        {
            if (_map[id] == id)
            {
                keep[id] = true;
                newId[id] = next++;
            }
        }
        int Remap(int id)
        {
            int r = newId[Resolve(id)];
            return r >= 0 ? r : throw new BpfException($"BTF dedup: type [{id}] has no canonical type", Errno.EINVAL);
        }
        for (int id = 1; id < n; id++)
        {
            if (!keep[id])
                continue;
            var rec = _btf.Record(id);
            foreach (int slot in BtfTypeSlots.TypeIdSlots(_btf.Kind(id), _btf.Vlen(id)))
                rec[slot] = (uint)Remap((int)rec[slot]);
        }
        _ext?.RemapTypeIds(Remap);
        _btf.Compact(keep);
        return _btf;
    }

    // ---- helpers ----

    private int Resolve(int id)
    {
        while (_map[id] >= 0 && _map[id] != id)
            id = _map[id];
        return id;
    }

    private int ResolveFwd(int id)
    {
        if (_btf.Kind(id) != BtfKind.Fwd)
            return id;
        int r = Resolve(id);
        return _btf.Kind(r) != BtfKind.Fwd ? r : id;
    }

    private static BpfException UnknownKind(BtfKind kind, int id)
    {
        LibbpfLog.Debug($"unknown kind {(int)kind} for type [{id}]");
        return new BpfException($"BTF dedup: unknown kind {(int)kind} for type [{id}]", Errno.EINVAL);
    }
}
