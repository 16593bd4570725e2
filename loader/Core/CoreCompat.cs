using BpfLoader.Btf;
using BpfLoader.Diagnostics;

namespace BpfLoader.Core;

using Btf = BpfLoader.Btf.Btf;

/// <summary>
/// libbpf's CO-RE compatibility rules between a local (object) type and a target (kernel) type:
/// field compatibility (<c>bpf_core_fields_are_compat</c>), type compatibility for type-based relocations
/// (<c>bpf_core_types_are_compat</c>) and the stricter "type matches" relation (<c>bpf_core_types_match</c>).
/// Each returns 1 (compatible), 0 (not) or a negative errno, as libbpf does.
/// </summary>
internal static class CoreCompat
{
    private const int MaxDepth = 32;

    /// <summary>Whether a local member type can be relocated to a target member type.</summary>
    public static int FieldsAreCompat(Btf localBtf, int localId, Btf targBtf, int targId)
    {
        for (int depth = MaxDepth; depth > 0; depth--)
        {
            if (!CoreNames.Skip(localBtf, localId, out localId, out var lt) || !CoreNames.Skip(targBtf, targId, out targId, out var tt))
                return -Errno.EINVAL;
            if (CoreNames.IsComposite(lt) && CoreNames.IsComposite(tt))
                return 1;
            if (!CoreNames.KindsCompatible(lt, tt))
                return 0;
            switch (lt.Kind)
            {
                case BtfKind.Ptr or BtfKind.Float:
                    return 1;
                case BtfKind.Fwd or BtfKind.Enum or BtfKind.Enum64:
                {
                    var ln = lt.NameBytes;
                    var tn = tt.NameBytes;
                    int ll = CoreNames.EssentialLength(ln), tl = CoreNames.EssentialLength(tn);
                    // One of them anonymous, or both with the same flavor-less name.
                    return ll == 0 || tl == 0 || (ll == tl && ln[..ll].SequenceEqual(tn[..tl])) ? 1 : 0;
                }
                case BtfKind.Int:
                    // Only the deprecated bitfield-like integers (non-zero bit offset) are rejected.
                    return lt.IntOffset == 0 && tt.IntOffset == 0 ? 1 : 0;
                case BtfKind.Array:
                    localId = lt.Array.ElemType;
                    targId = tt.Array.ElemType;
                    continue;
                default:
                    return 0;
            }
        }
        return -Errno.EINVAL;
    }

    /// <summary>Compatibility used by type_exists, type_size and target_type_id (names already matched by the caller).</summary>
    public static int TypesAreCompat(Btf localBtf, int localId, Btf targBtf, int targId, int level = MaxDepth)
    {
        if (!localBtf.TryGetType(localId, out var l0) || !targBtf.TryGetType(targId, out var t0))
            return -Errno.EINVAL;
        if (!CoreNames.KindsCompatible(l0, t0))
            return 0;
        for (int depth = MaxDepth; depth > 0; depth--)
        {
            if (!CoreNames.Skip(localBtf, localId, out localId, out var lt) || !CoreNames.Skip(targBtf, targId, out targId, out var tt))
                return -Errno.EINVAL;
            if (!CoreNames.KindsCompatible(lt, tt))
                return 0;
            switch (lt.Kind)
            {
                case BtfKind.Unknown or BtfKind.Struct or BtfKind.Union or BtfKind.Enum or BtfKind.Fwd or BtfKind.Enum64:
                    return 1;
                case BtfKind.Int:
                    return lt.IntOffset == 0 && tt.IntOffset == 0 ? 1 : 0;
                case BtfKind.Ptr:
                    localId = lt.Type;
                    targId = tt.Type;
                    continue;
                case BtfKind.Array:
                    localId = lt.Array.ElemType;
                    targId = tt.Array.ElemType;
                    continue;
                case BtfKind.FuncProto:
                {
                    var lp = lt.Params;
                    var tp = tt.Params;
                    if (lp.Count != tp.Count)
                        return 0;
                    for (int i = 0; i < lp.Count; i++)
                    {
                        if (level <= 0)
                            return -Errno.EINVAL;
                        CoreNames.Skip(localBtf, lp[i].Type, out int lpId, out _);
                        CoreNames.Skip(targBtf, tp[i].Type, out int tpId, out _);
                        int err = TypesAreCompat(localBtf, lpId, targBtf, tpId, level - 1);
                        if (err <= 0)
                            return err;
                    }
                    // Then the return type, as a tail "recursion".
                    CoreNames.Skip(localBtf, lt.Type, out localId, out _);
                    CoreNames.Skip(targBtf, tt.Type, out targId, out _);
                    continue;
                }
                default:
                    LibbpfLog.Warn($"unexpected kind {CoreNames.KindString(lt)} relocated, local [{localId}], target [{targId}]");
                    return 0;
            }
        }
        return -Errno.EINVAL;
    }

    /// <summary>libbpf's <c>bpf_core_types_match</c> (bpf_core_type_matches): names, sizes, signedness and members must agree.</summary>
    public static int TypesMatch(Btf localBtf, int localId, Btf targBtf, int targId)
        => TypesMatch(localBtf, localId, targBtf, targId, behindPtr: false, MaxDepth);

    private static int TypesMatch(Btf localBtf, int localId, Btf targBtf, int targId, bool behindPtr, int level)
    {
        for (int depth = MaxDepth; depth > 0; depth--)
        {
            if (!CoreNames.Skip(localBtf, localId, out localId, out var lt) || !CoreNames.Skip(targBtf, targId, out targId, out var tt))
                return -Errno.EINVAL;
            // The name check comes after typedefs are skipped; root typedef names were matched by the candidate search.
            if (!NamesMatch(lt.NameBytes, tt.NameBytes))
                return 0;
            var lk = lt.Kind;
            var tk = tt.Kind;
            switch (lk)
            {
                case BtfKind.Unknown:
                    return tk == lk ? 1 : 0;
                case BtfKind.Fwd:
                {
                    bool localUnion = lt.KindFlag;
                    if (behindPtr)
                    {
                        if (lk == tk)
                            return localUnion == tt.KindFlag ? 1 : 0;
                        // A forward declaration matches the struct or union it declares.
                        return (tk == BtfKind.Struct && !localUnion) || (tk == BtfKind.Union && localUnion) ? 1 : 0;
                    }
                    return lk == tk && localUnion == tt.KindFlag ? 1 : 0;
                }
                case BtfKind.Enum or BtfKind.Enum64:
                    return CoreNames.IsAnyEnum(tt) ? EnumsMatch(lt, tt) : 0;
                case BtfKind.Struct or BtfKind.Union:
                    if (behindPtr)
                    {
                        if (lk == tk)
                            return 1;
                        return tk == BtfKind.Fwd && (lk == BtfKind.Union) == tt.KindFlag ? 1 : 0;
                    }
                    return lk == tk ? CompositesMatch(localBtf, lt, targBtf, tt, behindPtr, level) : 0;
                case BtfKind.Int:
                    if (lk != tk)
                        return 0;
                    return lt.Size == tt.Size && (lt.IntEncoding & BtfIntEncoding.Signed) == (tt.IntEncoding & BtfIntEncoding.Signed) ? 1 : 0;
                case BtfKind.Ptr:
                    if (lk != tk)
                        return 0;
                    behindPtr = true;
                    localId = lt.Type;
                    targId = tt.Type;
                    continue;
                case BtfKind.Array:
                    if (lk != tk || lt.Array.NElems != tt.Array.NElems)
                        return 0;
                    localId = lt.Array.ElemType;
                    targId = tt.Array.ElemType;
                    continue;
                case BtfKind.FuncProto:
                {
                    if (lk != tk)
                        return 0;
                    var lp = lt.Params;
                    var tp = tt.Params;
                    if (lp.Count != tp.Count)
                        return 0;
                    for (int i = 0; i < lp.Count; i++)
                    {
                        int err = TypesMatch(localBtf, lp[i].Type, targBtf, tp[i].Type, behindPtr, level - 1);
                        if (err <= 0)
                            return err;
                    }
                    localId = lt.Type;
                    targId = tt.Type;
                    continue;
                }
                default:
                    LibbpfLog.Warn($"unexpected kind {CoreNames.KindString(lt)} relocated, local [{localId}], target [{targId}]");
                    return 0;
            }
        }
        return -Errno.EINVAL;
    }

    /// <summary>libbpf's <c>bpf_core_names_match</c>: an anonymous target matches only an anonymous local.</summary>
    private static bool NamesMatch(ReadOnlySpan<byte> local, ReadOnlySpan<byte> targ)
    {
        if (targ.IsEmpty)
            return local.IsEmpty;
        return CoreNames.EssentialEquals(local, targ);
    }

    // Every local enumerator needs a namesake in the target; values may differ, sizes may not.
    private static int EnumsMatch(BtfType lt, BtfType tt)
    {
        if (lt.Size != tt.Size || lt.Vlen > tt.Vlen)
            return 0;
        var lbtf = lt.Owner!;
        var tbtf = tt.Owner!;
        foreach (var lv in lt.EnumValues)
        {
            bool matched = false;
            foreach (var tv in tt.EnumValues)
            {
                if (NamesMatch(CoreNames.NameBytes(lbtf, lv.NameOffset), CoreNames.NameBytes(tbtf, tv.NameOffset)))
                {
                    matched = true;
                    break;
                }
            }
            if (!matched)
                return 0;
        }
        return 1;
    }

    // Every local member needs a namesake in the target whose type matches.
    private static int CompositesMatch(Btf localBtf, BtfType lt, Btf targBtf, BtfType tt, bool behindPtr, int level)
    {
        if (level <= 0)
            return -Errno.EINVAL;
        if (lt.Vlen > tt.Vlen)
            return 0;
        foreach (var lm in lt.Members)
        {
            bool matched = false;
            foreach (var tm in tt.Members)
            {
                if (!NamesMatch(CoreNames.NameBytes(localBtf, lm.NameOffset), CoreNames.NameBytes(targBtf, tm.NameOffset)))
                    continue;
                int err = TypesMatch(localBtf, lm.Type, targBtf, tm.Type, behindPtr, level - 1);
                if (err < 0)
                    return err;
                if (err > 0)
                {
                    matched = true;
                    break;
                }
            }
            if (!matched)
                return 0;
        }
        return 1;
    }
}
