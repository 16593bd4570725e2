using BpfLoader.Btf;
using BpfLoader.Diagnostics;

namespace BpfLoader.Core;

using Btf = BpfLoader.Btf.Btf;

/// <summary>libbpf's <c>struct bpf_core_relo_res</c>: what the instruction held, what it should hold, or poison.</summary>
internal struct CoreReloResult
{
    public ulong OrigValue;
    public ulong NewValue;
    public bool Poison;
    /// <summary>Check that the instruction holds <see cref="OrigValue"/> before patching.</summary>
    public bool Validate;
    /// <summary>The load/store size would change in a way that reads a wrong value: poison LDX/ST/STX.</summary>
    public bool FailMemSizeAdjust;
    public uint OrigSize;
    public uint NewSize;
    public int OrigTypeId;
    public int NewTypeId;
}

/// <summary>
/// libbpf's <c>bpf_core_calc_relo_insn</c>: matches the local access spec against each candidate, computes the
/// value every matching candidate implies (they must agree), and falls back to libbpf's "no target" results
/// (0 for existence checks, poison for offsets) when none matches.
/// </summary>
internal static class CoreResolver
{
    public static int Resolve(string progName, CoreRelo relo, int reloIdx, Btf localBtf, List<CoreCandidate>? cands,
        out CoreReloResult result, out CoreSpec? localSpec)
    {
        result = default;
        localSpec = null;
        var localType = localBtf[relo.TypeId];
        string localName = localType.IsVoid ? "" : localType.Name;

        int err = CoreSpec.Parse(progName, localBtf, relo, out var spec);
        if (err != 0)
        {
            string access = localBtf.TryGetStringBytes(relo.AccessStrOff, out var a) ? System.Text.Encoding.UTF8.GetString(a) : "";
            LibbpfLog.Warn($"prog '{progName}': relo #{reloIdx}: parsing [{relo.TypeId}] {CoreNames.KindString(localType)} {(localName.Length == 0 ? "<anon>" : localName)} + {access} failed: {err}");
            return -Errno.EINVAL;
        }
        localSpec = spec;
        LibbpfLog.Debug($"prog '{progName}': relo #{reloIdx}: {spec}");

        // The local type id needs no target at all.
        if (relo.Kind == BtfCoreReloKind.TypeIdLocal)
        {
            result = new CoreReloResult { Validate = true, OrigValue = (ulong)spec.RootTypeId, NewValue = (ulong)spec.RootTypeId };
            return 0;
        }
        if (localName.Length == 0)
        {
            LibbpfLog.Warn($"prog '{progName}': relo #{reloIdx}: <{CoreNames.ReloKindString(relo.Kind)}> ({(int)relo.Kind}) relocation doesn't support anonymous types");
            return -Errno.EOPNOTSUPP;
        }

        CoreSpec? targSpec = null;
        int kept = 0;
        for (int i = 0; cands is not null && i < cands.Count; i++)
        {
            int matched = CoreMatcher.SpecMatch(spec, cands[i].Btf, cands[i].Id, out var candSpec);
            if (matched < 0)
            {
                LibbpfLog.Warn($"prog '{progName}': relo #{reloIdx}: error matching candidate #{i} {candSpec}: {matched}");
                return matched;
            }
            LibbpfLog.Debug($"prog '{progName}': relo #{reloIdx}: {(matched != 0 ? "matching" : "non-matching")} candidate #{i} {candSpec}");
            if (matched == 0)
                continue;
            err = Calc(progName, relo, reloIdx, spec, candSpec, out var candRes);
            if (err != 0)
                return err;
            if (kept == 0)
            {
                result = candRes;
                targSpec = candSpec;
            }
            else if (candSpec.BitOffset != targSpec!.BitOffset)
            {
                // Several candidates must agree on where the field is.
                LibbpfLog.Warn($"prog '{progName}': relo #{reloIdx}: field offset ambiguity: {(uint)candSpec.BitOffset} != {(uint)targSpec.BitOffset}");
                return -Errno.EINVAL;
            }
            else if (candRes.Poison != result.Poison || (!candRes.Poison && candRes.NewValue != result.NewValue))
            {
                LibbpfLog.Warn($"prog '{progName}': relo #{reloIdx}: relocation decision ambiguity: {(candRes.Poison ? "failure" : "success")} {(uint)candRes.NewValue} != {(result.Poison ? "failure" : "success")} {(uint)result.NewValue}");
                return -Errno.EINVAL;
            }
            cands[kept++] = cands[i];
        }
        // Like libbpf, later relocations of the same local type only consider the candidates that matched,
        // unless none did (field_exists and guarded code expect that).
        if (kept > 0)
            cands!.RemoveRange(kept, cands.Count - kept);
        else
        {
            LibbpfLog.Debug($"prog '{progName}': relo #{reloIdx}: no matching targets found");
            err = Calc(progName, relo, reloIdx, spec, null, out result);
            if (err != 0)
                return err;
        }
        return 0;
    }

    /// <summary>libbpf's <c>bpf_core_calc_relo</c>; <paramref name="targ"/> null means "no target found".</summary>
    private static int Calc(string progName, CoreRelo relo, int reloIdx, CoreSpec local, CoreSpec? targ, out CoreReloResult res)
    {
        res = new CoreReloResult { Validate = true };
        int err = -Errno.EOPNOTSUPP;
        if (CoreNames.IsFieldBased(relo.Kind))
        {
            err = CoreValues.Field(progName, relo, local, out res.OrigValue, out res.OrigSize, out res.OrigTypeId, out bool validate);
            res.Validate = validate;
            if (err == 0)
                err = CoreValues.Field(progName, relo, targ, out res.NewValue, out res.NewSize, out res.NewTypeId, out _);
            if (err == 0 && res.OrigSize != res.NewSize)
            {
                var o = local.Btf[res.OrigTypeId];
                var n = targ!.Btf[res.NewTypeId];
                // Resizing is only safe for pointers and unsigned integers (zero extension keeps the value).
                bool safe = (o.Kind == BtfKind.Ptr && n.Kind == BtfKind.Ptr)
                    || (o.Kind == BtfKind.Int && n.Kind == BtfKind.Int && o.IntEncoding != BtfIntEncoding.Signed && n.IntEncoding != BtfIntEncoding.Signed);
                res.FailMemSizeAdjust = !safe;
            }
        }
        else if (CoreNames.IsTypeBased(relo.Kind))
        {
            err = CoreValues.Type(relo, local, out res.OrigValue, out bool validate);
            res.Validate = validate;
            if (err == 0)
                err = CoreValues.Type(relo, targ, out res.NewValue, out _);
        }
        else if (CoreNames.IsEnumvalBased(relo.Kind))
        {
            err = CoreValues.Enumval(relo, local, out res.OrigValue);
            if (err == 0)
                err = CoreValues.Enumval(relo, targ, out res.NewValue);
        }

        if (err == -Errno.EUCLEAN)
        {
            // EUCLEAN is libbpf's internal request to poison the instruction.
            res.Poison = true;
            err = 0;
        }
        else if (err == -Errno.EOPNOTSUPP)
        {
            LibbpfLog.Warn($"prog '{progName}': relo #{reloIdx}: unrecognized CO-RE relocation {CoreNames.ReloKindString(relo.Kind)} ({(int)relo.Kind}) at insn #{relo.InsnOff / 8}");
        }
        return err;
    }
}
