using System.Globalization;
using System.Text;
using BpfLoader.Btf;
using BpfLoader.Diagnostics;

namespace BpfLoader.Core;

using Btf = BpfLoader.Btf.Btf;

/// <summary>One step of a CO-RE access path: a named member of a struct/union, or an array index (Name null).</summary>
internal readonly record struct CoreAccessor(int TypeId, int Index, string? Name);

/// <summary>
/// libbpf's <c>struct bpf_core_spec</c>: a relocation's access path resolved against one BTF — the root type,
/// the high-level accessors (named members and array indexes), the raw access string indexes (which also
/// count anonymous members) and the resulting bit offset.
/// </summary>
internal sealed class CoreSpec
{
    /// <summary>libbpf's BPF_CORE_SPEC_MAX_LEN.</summary>
    public const int MaxLength = 64;

    public CoreSpec(Btf btf, int rootTypeId, BtfCoreReloKind kind)
    {
        Btf = btf;
        RootTypeId = rootTypeId;
        Kind = kind;
    }

    public Btf Btf { get; }
    public int RootTypeId { get; }
    public BtfCoreReloKind Kind { get; }
    public List<CoreAccessor> Accessors { get; } = [];
    public List<int> Raw { get; } = [];
    public long BitOffset { get; set; }

    /// <summary>
    /// libbpf's <c>bpf_core_parse_spec</c>: parses the access string ("0:1:2") of <paramref name="relo"/>
    /// against the local BTF. Returns 0 or a negative errno.
    /// </summary>
    public static int Parse(string progName, Btf btf, CoreRelo relo, out CoreSpec spec)
    {
        spec = new CoreSpec(btf, relo.TypeId, relo.Kind);
        string access = btf.TryGetStringBytes(relo.AccessStrOff, out var bytes) ? Encoding.UTF8.GetString(bytes) : "";
        if (access.Length == 0 || access[0] == ':')
            return -Errno.EINVAL;
        if (CoreNames.IsTypeBased(relo.Kind))
            return access == "0" ? 0 : -Errno.EINVAL;

        int err = ParseRaw(access, spec.Raw);
        if (err != 0)
            return err;
        if (!CoreNames.Skip(btf, relo.TypeId, out int id, out var t))
            return -Errno.EINVAL;

        int accessIdx = spec.Raw[0];
        if (CoreNames.IsEnumvalBased(relo.Kind))
        {
            if (!CoreNames.IsAnyEnum(t) || spec.Raw.Count > 1 || accessIdx >= t.Vlen)
                return -Errno.EINVAL;
            spec.Accessors.Add(new CoreAccessor(id, accessIdx, t.EnumValues[accessIdx].Name));
            return 0;
        }
        spec.Accessors.Add(new CoreAccessor(id, accessIdx, null));
        if (!CoreNames.IsFieldBased(relo.Kind))
            return -Errno.EINVAL;

        long sz = btf.ResolveSize(id);
        if (sz < 0)
            return (int)sz;
        spec.BitOffset = accessIdx * sz * 8;

        for (int i = 1; i < spec.Raw.Count; i++)
        {
            if (!CoreNames.Skip(btf, id, out id, out t))
                return -Errno.EINVAL;
            accessIdx = spec.Raw[i];
            if (CoreNames.IsComposite(t))
            {
                if (accessIdx >= t.Vlen)
                    return -Errno.EINVAL;
                var m = t.Members[accessIdx];
                spec.BitOffset += m.BitOffset;
                if (m.NameOffset != 0)
                {
                    string name = m.Name;
                    if (name.Length == 0)
                        return -Errno.EINVAL;
                    spec.Accessors.Add(new CoreAccessor(id, accessIdx, name));
                }
                id = m.Type;
            }
            else if (t.Kind == BtfKind.Array)
            {
                var a = t.Array;
                if (!CoreNames.Skip(btf, a.ElemType, out id, out _))
                    return -Errno.EINVAL;
                bool flex = IsFlexArray(btf, spec.Accessors[^1], a);
                if (!flex && accessIdx >= a.NElems)
                    return -Errno.EINVAL;
                spec.Accessors.Add(new CoreAccessor(id, accessIdx, null));
                sz = btf.ResolveSize(id);
                if (sz < 0)
                    return (int)sz;
                spec.BitOffset += accessIdx * sz * 8;
            }
            else
            {
                LibbpfLog.Warn($"prog '{progName}': relo for [{relo.TypeId}] {access} (at idx {i}) captures type [{id}] of unexpected kind {CoreNames.KindString(t)}");
                return -Errno.EINVAL;
            }
        }
        return 0;
    }

    // "0:1:2" -> [0, 1, 2]; like sscanf("%d"), a negative or non-numeric component is invalid.
    private static int ParseRaw(string access, List<int> raw)
    {
        foreach (var part in access.Split(':'))
        {
            if (!int.TryParse(part, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int idx) || idx < 0)
                return -Errno.EINVAL;
            if (raw.Count == MaxLength)
                return -Errno.E2BIG;
            raw.Add(idx);
        }
        return raw.Count == 0 ? -Errno.EINVAL : 0;
    }

    /// <summary>libbpf's <c>is_flex_arr</c>: a zero-length array that is the last member of its struct.</summary>
    public static bool IsFlexArray(Btf btf, CoreAccessor enclosing, BtfArray array)
    {
        if (enclosing.Name is null || array.NElems > 0)
            return false;
        return enclosing.Index == btf[enclosing.TypeId].Vlen - 1;
    }

    /// <summary>libbpf's <c>bpf_core_format_spec</c>, e.g. <c>&lt;byte_off&gt; [12] struct task_struct.pid (0:75 @ offset 2456)</c>.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        var root = Btf.TryGetType(RootTypeId, out var r) ? r : default;
        string rootName = root.IsVoid ? "" : root.Name;
        sb.Append(CultureInfo.InvariantCulture, $"<{CoreNames.ReloKindString(Kind)}> [{RootTypeId}] {CoreNames.KindString(root)} {(rootName.Length == 0 ? "<anon>" : rootName)}");
        if (CoreNames.IsTypeBased(Kind))
            return sb.ToString();
        if (CoreNames.IsEnumvalBased(Kind))
        {
            // Like libbpf, an unmatched candidate spec (no raw index yet) shows the first enumerator.
            if (!CoreNames.Skip(Btf, RootTypeId, out _, out var e) || !CoreNames.IsAnyEnum(e))
                return sb.ToString();
            int idx = Raw.Count > 0 ? Raw[0] : 0;
            if (idx >= e.Vlen)
                return sb.ToString();
            var v = e.EnumValues[idx];
            bool signed = e.KindFlag;
            string value = e.Kind == BtfKind.Enum
                ? signed ? ((int)(uint)v.RawValue).ToString(CultureInfo.InvariantCulture) : ((uint)v.RawValue).ToString(CultureInfo.InvariantCulture)
                : signed ? ((long)v.RawValue).ToString(CultureInfo.InvariantCulture) : v.RawValue.ToString(CultureInfo.InvariantCulture);
            sb.Append(CultureInfo.InvariantCulture, $"::{v.Name} = {value}");
            return sb.ToString();
        }
        for (int i = 0; i < Accessors.Count; i++)
        {
            var acc = Accessors[i];
            if (acc.Name is not null)
                sb.Append('.').Append(acc.Name);
            else if (i > 0 || acc.Index > 0)
                sb.Append(CultureInfo.InvariantCulture, $"[{acc.Index}]");
        }
        sb.Append(" (");
        for (int i = 0; i < Raw.Count; i++)
            sb.Append(i == 0 ? "" : ":").Append(Raw[i].ToString(CultureInfo.InvariantCulture));
        long bits = BitOffset;
        sb.Append(bits % 8 != 0
            ? string.Create(CultureInfo.InvariantCulture, $" @ offset {bits / 8}.{bits % 8})")
            : string.Create(CultureInfo.InvariantCulture, $" @ offset {bits / 8})"));
        return sb.ToString();
    }
}
