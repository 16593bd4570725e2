using BpfLoader.Btf;
using BpfLoader.Diagnostics;

namespace BpfLoader.Core;

using Btf = BpfLoader.Btf.Btf;

/// <summary>
/// libbpf's <c>bpf_core_spec_match</c>: follows the local access path through one candidate target type —
/// members by exact name (descending into anonymous structs/unions), array indexes within bounds (or into a
/// flexible array), enumerators by flavor-less name — and builds the target spec. 1 = match, 0 = no, &lt;0 = error.
/// </summary>
internal static class CoreMatcher
{
    public static int SpecMatch(CoreSpec local, Btf targBtf, int targId, out CoreSpec targ)
    {
        targ = new CoreSpec(targBtf, targId, local.Kind);
        if (CoreNames.IsTypeBased(local.Kind))
        {
            return local.Kind == BtfCoreReloKind.TypeMatches
                ? CoreCompat.TypesMatch(local.Btf, local.RootTypeId, targBtf, targId)
                : CoreCompat.TypesAreCompat(local.Btf, local.RootTypeId, targBtf, targId);
        }

        if (CoreNames.IsEnumvalBased(local.Kind))
        {
            if (!CoreNames.Skip(targBtf, targId, out targId, out var targType) || !CoreNames.IsAnyEnum(targType))
                return 0;
            var localName = System.Text.Encoding.UTF8.GetBytes(local.Accessors[0].Name ?? "");
            int i = 0;
            foreach (var v in targType.EnumValues)
            {
                var name = CoreNames.NameBytes(targBtf, v.NameOffset);
                if (CoreNames.EssentialEquals(localName, name))
                {
                    targ.Accessors.Add(new CoreAccessor(targId, i, v.Name));
                    targ.Raw.Add(i);
                    return 1;
                }
                i++;
            }
            return 0;
        }

        if (!CoreNames.IsFieldBased(local.Kind))
            return -Errno.EINVAL;

        for (int i = 0; i < local.Accessors.Count; i++)
        {
            var localAcc = local.Accessors[i];
            if (!CoreNames.Skip(targBtf, targId, out targId, out var targType))
                return -Errno.EINVAL;
            if (localAcc.Name is not null)
            {
                int matched = MatchMember(local.Btf, localAcc, targBtf, targId, targ, out targId);
                if (matched <= 0)
                    return matched;
                continue;
            }
            // The first accessor indexes the root itself; later ones need the target to be an array too.
            if (i > 0)
            {
                if (targType.Kind != BtfKind.Array)
                    return 0;
                var a = targType.Array;
                bool flex = CoreSpec.IsFlexArray(targBtf, targ.Accessors[^1], a);
                if (!flex && localAcc.Index >= a.NElems)
                    return 0;
                if (!CoreNames.Skip(targBtf, a.ElemType, out targId, out _))
                    return -Errno.EINVAL;
            }
            if (targ.Raw.Count == CoreSpec.MaxLength)
                return -Errno.E2BIG;
            targ.Accessors.Add(new CoreAccessor(targId, localAcc.Index, null));
            targ.Raw.Add(localAcc.Index);
            long sz = targBtf.ResolveSize(targId);
            if (sz < 0)
                return (int)sz;
            targ.BitOffset += localAcc.Index * sz * 8;
        }
        return 1;
    }

    // libbpf's bpf_core_match_member: the raw spec and bit offset grow speculatively and are undone on a miss.
    private static int MatchMember(Btf localBtf, CoreAccessor localAcc, Btf targBtf, int targId, CoreSpec spec, out int nextTargId)
    {
        nextTargId = targId;
        if (!CoreNames.Skip(targBtf, targId, out targId, out var targType))
            return -Errno.EINVAL;
        if (!CoreNames.IsComposite(targType))
            return 0;
        var localMember = localBtf[localAcc.TypeId].Members[localAcc.Index];
        var localName = CoreNames.NameBytes(localBtf, localMember.NameOffset);

        int n = targType.Vlen;
        var members = targType.Members;
        for (int i = 0; i < n; i++)
        {
            var m = members[i];
            if (spec.Raw.Count == CoreSpec.MaxLength)
                return -Errno.E2BIG;
            spec.BitOffset += m.BitOffset;
            spec.Raw.Add(i);
            var targName = CoreNames.NameBytes(targBtf, m.NameOffset);
            if (targName.IsEmpty)
            {
                // An anonymous struct/union member: the field may be inside it.
                int found = MatchMember(localBtf, localAcc, targBtf, m.Type, spec, out nextTargId);
                if (found != 0)
                    return found;
            }
            else if (targName.SequenceEqual(localName))
            {
                spec.Accessors.Add(new CoreAccessor(targId, i, m.Name));
                nextTargId = m.Type;
                int found = CoreCompat.FieldsAreCompat(localBtf, localMember.Type, targBtf, m.Type);
                if (found == 0)
                    spec.Accessors.RemoveAt(spec.Accessors.Count - 1);
                return found;
            }
            spec.BitOffset -= m.BitOffset;
            spec.Raw.RemoveAt(spec.Raw.Count - 1);
        }
        return 0;
    }
}
