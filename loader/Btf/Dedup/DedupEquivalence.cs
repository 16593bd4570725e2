using BpfLoader.Diagnostics;

namespace BpfLoader.Btf.Dedup;

// Graph equivalence of a candidate type graph with a canonical one (libbpf's btf_dedup_is_equiv), the
// "identical types" fallback for compilers that emit duplicate types, and merging a successful
// hypothetical mapping into the canonical map.
internal sealed partial class BtfDeduplicator
{
    private const int IdenticalDepth = 16;

    private void ClearHypot()
    {
        foreach (int id in _hypotList)
            _hypot[id] = Unprocessed;
        _hypotList.Clear();
        _hypotAdjustCanon = false;
    }

    /// <summary>True when the graph rooted at <paramref name="candId"/> can map onto the one at <paramref name="canonId"/>.</summary>
    private bool IsEquivalent(int candId, int canonId)
    {
        if (Resolve(candId) == Resolve(canonId))
            return true;
        canonId = ResolveFwd(canonId);
        int partner = _hypot[canonId];
        if (partner >= 0)
            return partner == candId || AreIdentical(partner, candId, IdenticalDepth);
        _hypot[canonId] = candId;
        _hypotList.Add(canonId);

        var cand = _btf.Record(candId);
        var canon = _btf.Record(canonId);
        if (_btf.NameOff(candId) != _btf.NameOff(canonId))
            return false;
        var candKind = DedupSignatures.Kind(cand);
        var canonKind = DedupSignatures.Kind(canon);
        if ((candKind == BtfKind.Fwd || canonKind == BtfKind.Fwd) && candKind != canonKind)
        {
            // A forward declaration matches a struct/union of the flavour its kind_flag names.
            var (realKind, fwdIsUnion) = candKind == BtfKind.Fwd
                ? (canonKind, _btf.KindFlag(candId))
                : (candKind, _btf.KindFlag(canonId));
            return realKind == (fwdIsUnion ? BtfKind.Union : BtfKind.Struct);
        }
        if (candKind != canonKind)
            return false;
        switch (candKind)
        {
            case BtfKind.Int:
                return DedupSignatures.EqualAll(cand, canon);
            case BtfKind.Enum or BtfKind.Enum64:
                return DedupSignatures.CompatEnum(cand, canon);
            case BtfKind.Fwd or BtfKind.Float:
                return DedupSignatures.EqualCommon(cand, canon);
            case BtfKind.Const or BtfKind.Volatile or BtfKind.Restrict or BtfKind.Ptr or BtfKind.Typedef
                or BtfKind.Func or BtfKind.TypeTag:
                return cand[1] == canon[1] && IsEquivalent((int)cand[2], (int)canon[2]);
            case BtfKind.Array:
                return DedupSignatures.CompatArray(cand, canon)
                    && IsEquivalent((int)cand[4], (int)canon[4])
                    && IsEquivalent((int)cand[3], (int)canon[3]);
            case BtfKind.Struct or BtfKind.Union:
                if (!DedupSignatures.ShallowEqualStruct(cand, canon))
                    return false;
                for (int i = 4; i < cand.Length; i += 3)
                {
                    if (!IsEquivalent((int)cand[i], (int)canon[i]))
                        return false;
                }
                return true;
            case BtfKind.FuncProto:
                if (!DedupSignatures.CompatFuncProto(cand, canon) || !IsEquivalent((int)cand[2], (int)canon[2]))
                    return false;
                for (int i = 4; i < cand.Length; i += 2)
                {
                    if (!IsEquivalent((int)cand[i], (int)canon[i]))
                        return false;
                }
                return true;
            default:
                throw new BpfException($"BTF dedup: unexpected {BtfKinds.Name(candKind)} [{candId}] in a type graph", Errno.EINVAL);
        }
    }

    /// <summary>Structural identity of two not-yet-merged types (libbpf's btf_dedup_identical_types).</summary>
    private bool AreIdentical(int id1, int id2, int depth)
    {
        if (depth <= 0)
        {
            LibbpfLog.Debug($"Reached depth limit for identical type comparison for '{_btf.Name(id1)}'/'{_btf.Name(id2)}'");
            return false;
        }
        if (id1 == id2)
            return true;
        var t1 = _btf.Record(id1);
        var t2 = _btf.Record(id2);
        var kind = DedupSignatures.Kind(t1);
        if (kind != DedupSignatures.Kind(t2))
            return false;
        switch (kind)
        {
            case BtfKind.Struct or BtfKind.Union:
                if (!DedupSignatures.ShallowEqualStruct(t1, t2))
                    return false;
                for (int i = 4; i < t1.Length; i += 3)
                {
                    if (!AreIdentical((int)t1[i], (int)t2[i], depth - 1))
                        return false;
                }
                return true;
            case BtfKind.Int:
                return DedupSignatures.EqualAll(t1, t2);
            case BtfKind.Enum or BtfKind.Enum64:
                return DedupSignatures.CompatEnum(t1, t2);
            case BtfKind.Fwd or BtfKind.Float:
                return DedupSignatures.EqualCommon(t1, t2);
            case BtfKind.Const or BtfKind.Volatile or BtfKind.Restrict or BtfKind.Ptr or BtfKind.Typedef
                or BtfKind.Func or BtfKind.TypeTag:
                return t1[0] == t2[0] && t1[1] == t2[1] && AreIdentical((int)t1[2], (int)t2[2], depth - 1);
            case BtfKind.Array:
                // libbpf compares the first array's element type with itself here, so only the shape counts.
                return DedupSignatures.CompatArray(t1, t2);
            case BtfKind.FuncProto:
                if (!DedupSignatures.CompatFuncProto(t1, t2) || !AreIdentical((int)t1[2], (int)t2[2], depth - 1))
                    return false;
                for (int i = 4; i < t1.Length; i += 2)
                {
                    if (!AreIdentical((int)t1[i], (int)t2[i], depth - 1))
                        return false;
                }
                return true;
            default:
                return false;
        }
    }

    /// <summary>Turns a successful hypothetical mapping into FWD resolutions (and struct speed-ups) in the canonical map.</summary>
    private void MergeHypot()
    {
        foreach (int canonRaw in _hypotList)
        {
            int c = Resolve(canonRaw);
            int t = Resolve(_hypot[canonRaw]);
            var cKind = _btf.Kind(c);
            var tKind = _btf.Kind(t);
            if (tKind != BtfKind.Fwd && cKind == BtfKind.Fwd)
                _map[c] = t;
            if (_hypotAdjustCanon)
                continue;
            if (tKind == BtfKind.Fwd && cKind != BtfKind.Fwd)
                _map[t] = c;
            if (tKind is BtfKind.Struct or BtfKind.Union && cKind != BtfKind.Fwd && _map[c] >= 0 && _map[t] < 0)
                _map[t] = c;
        }
    }
}
