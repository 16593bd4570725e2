using System.Text;

namespace BpfLoader.Btf;

// bpftool's "btf dump ... format raw" text (bpftool 7.x), reproduced field for field so that output can be
// diffed against bpftool and the kernel selftests' expectations.
public sealed partial class Btf
{
    /// <summary>One type in bpftool raw format, member/param/value lines included, without a trailing newline.</summary>
    public string DumpRaw(int id)
    {
        var sb = new StringBuilder(64);
        AppendRaw(sb, GetType(id));
        return sb.ToString();
    }

    /// <summary>All of this BTF's own types (for split BTF, not the base's), each followed by a newline, like bpftool.</summary>
    public void DumpRaw(TextWriter writer)
    {
        var sb = new StringBuilder(256);
        for (int id = _startId; id <= LastId; id++)
        {
            sb.Clear();
            AppendRaw(sb, GetType(id));
            sb.Append('\n');
            writer.Write(sb);
        }
    }

    private string RawName(uint nameOff)
    {
        if (nameOff == 0)
            return "(anon)";
        return TryGetStringBytes(nameOff, out var bytes) ? Encoding.UTF8.GetString(bytes) : "(invalid)";
    }

    private static string IntEncodingName(BtfIntEncoding e) => e switch
    {
        BtfIntEncoding.None => "(none)",
        BtfIntEncoding.Signed => "SIGNED",
        BtfIntEncoding.Char => "CHAR",
        BtfIntEncoding.Bool => "BOOL",
        _ => "UNKN",
    };

    private static string LinkageName(uint linkage) => linkage switch
    {
        0 => "static",
        1 => "global",
        2 => "extern",
        _ => "(unknown)",
    };

    private void AppendRaw(StringBuilder sb, BtfType t)
    {
        var kind = t.Kind;
        sb.Append('[').Append(t.Id).Append("] ").Append(BtfKinds.Name(kind)).Append(" '").Append(RawName(t.NameOffset)).Append('\'');
        switch (kind)
        {
            case BtfKind.Int:
                sb.Append(" size=").Append(t.Size).Append(" bits_offset=").Append(t.IntOffset)
                    .Append(" nr_bits=").Append(t.IntBits).Append(" encoding=").Append(IntEncodingName(t.IntEncoding));
                break;
            case BtfKind.Ptr or BtfKind.Const or BtfKind.Volatile or BtfKind.Restrict or BtfKind.Typedef or BtfKind.TypeTag:
                sb.Append(" type_id=").Append((uint)t.Type);
                break;
            case BtfKind.Array:
                var a = t.Array;
                sb.Append(" type_id=").Append((uint)a.ElemType).Append(" index_type_id=").Append((uint)a.IndexType)
                    .Append(" nr_elems=").Append(a.NElems);
                break;
            case BtfKind.Struct or BtfKind.Union:
                sb.Append(" size=").Append(t.Size).Append(" vlen=").Append(t.Vlen);
                foreach (var m in t.Members)
                {
                    sb.Append("\n\t'").Append(RawName(m.NameOffset)).Append("' type_id=").Append((uint)m.Type)
                        .Append(" bits_offset=").Append(m.BitOffset);
                    if (m.BitfieldSize != 0)
                        sb.Append(" bitfield_size=").Append(m.BitfieldSize);
                }
                break;
            case BtfKind.Enum or BtfKind.Enum64:
                sb.Append(" encoding=").Append(t.KindFlag ? "SIGNED" : "UNSIGNED").Append(" size=").Append(t.Size)
                    .Append(" vlen=").Append(t.Vlen);
                foreach (var v in t.EnumValues)
                {
                    sb.Append("\n\t'").Append(RawName(v.NameOffset)).Append("' val=");
                    if (kind == BtfKind.Enum)
                    {
                        if (t.KindFlag)
                            sb.Append((int)v.RawValue);
                        else
                            sb.Append((uint)v.RawValue);
                    }
                    else if (t.KindFlag)
                        sb.Append((long)v.RawValue).Append("LL");
                    else
                        sb.Append(v.RawValue).Append("ULL");
                }
                break;
            case BtfKind.Fwd:
                sb.Append(" fwd_kind=").Append(t.KindFlag ? "union" : "struct");
                break;
            case BtfKind.Func:
                sb.Append(" type_id=").Append((uint)t.Type).Append(" linkage=").Append(LinkageName((uint)t.Vlen));
                break;
            case BtfKind.FuncProto:
                sb.Append(" ret_type_id=").Append((uint)t.Type).Append(" vlen=").Append(t.Vlen);
                foreach (var p in t.Params)
                    sb.Append("\n\t'").Append(RawName(p.NameOffset)).Append("' type_id=").Append((uint)p.Type);
                break;
            case BtfKind.Var:
                sb.Append(" type_id=").Append((uint)t.Type).Append(", linkage=").Append(LinkageName((uint)t.VarLinkage));
                break;
            case BtfKind.Datasec:
                sb.Append(" size=").Append(t.Size).Append(" vlen=").Append(t.Vlen);
                foreach (var v in t.DatasecVars)
                {
                    sb.Append("\n\ttype_id=").Append((uint)v.Type).Append(" offset=").Append(v.Offset).Append(" size=").Append(v.Size);
                    if (TryGetType(v.Type, out var vt))
                        sb.Append(" (").Append(BtfKinds.Name(vt.Kind)).Append(" '").Append(vt.Owner is { } o ? o.RawName(vt.NameOffset) : "(anon)").Append("')");
                }
                break;
            case BtfKind.Float:
                sb.Append(" size=").Append(t.Size);
                break;
            case BtfKind.DeclTag:
                sb.Append(" type_id=").Append((uint)t.Type).Append(" component_idx=").Append(t.DeclTagComponentIndex);
                break;
        }
    }
}
