using System.Globalization;
using System.Text;
using BpfLoader.Btf;

namespace BpfLoader.BtfDump;

using Btf = BpfLoader.Btf.Btf;

/// <summary>
/// bpftool's <c>btf dump file X format c</c>: a compilable C header (vmlinux.h) from BTF. Every named
/// struct/union is forward-declared first and every enum defined next, so pointers never need ordering;
/// typedefs and struct/union definitions then follow in dependency order (a by-value member's type is
/// complete before use). Layouts follow libbpf's btf_dump rules: explicit <c>long: N</c>-style padding for
/// gaps, <c>__attribute__((packed))</c> when a member is not naturally aligned, and <c>name___N</c> for
/// duplicate names. Anonymous structs, unions and referenced anonymous enums are emitted inline.
/// </summary>
public sealed partial class BtfCDumper
{
    private enum State : byte { None, Visiting, Done }

    private readonly Btf _btf;
    private readonly TextWriter _w;
    private readonly State[] _state;
    private readonly string?[] _names;
    private readonly bool[] _anonReferenced;
    private readonly Dictionary<string, int> _tagCounts = [];
    private readonly Dictionary<string, int> _identCounts = [];
    private readonly Dictionary<string, string> _tagOfFwd = [];
    private readonly int _ptrBits;
    private long _paddingBits;

    /// <summary>Padding the whole dump may write (vmlinux needs well under a megabyte).</summary>
    private const long MaxPaddingBits = 1L << 20 << 3;

    private BtfCDumper(Btf btf, TextWriter writer)
    {
        _btf = btf;
        _w = writer;
        _state = new State[btf.LastId + 1];
        _names = new string?[btf.LastId + 1];
        _anonReferenced = new bool[btf.LastId + 1];
        _ptrBits = btf.PointerSize * 8;
    }

    /// <summary>Writes <paramref name="btf"/>'s own types as a C header in bpftool's layout.</summary>
    public static void Dump(Btf btf, TextWriter writer) => new BtfCDumper(btf, writer).Run();

    private void Run()
    {
        // Refuses cyclic or absurdly deep type graphs up front: every recursion below relies on it.
        BtfDumpCycles.Check(_btf);
        MarkAnonymousReferences();
        _w.Write("#ifndef __VMLINUX_H__\n#define __VMLINUX_H__\n\n");
        _w.Write("#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n#pragma clang attribute push (__attribute__((preserve_access_index)), apply_to = record)\n#endif\n\n");
        _w.Write(KfuncMacros);

        // Names are assigned in id order so duplicates get ___2, ___3 deterministically.
        for (int id = _btf.StartId; id <= _btf.LastId; id++)
            AssignName(id);

        var declared = new HashSet<string>();
        for (int id = _btf.StartId; id <= _btf.LastId; id++)
        {
            var t = _btf[id];
            if ((t.Kind is BtfKind.Struct or BtfKind.Union or BtfKind.Fwd) && t.NameOffset != 0)
            {
                string decl = $"{Keyword(t)} {Name(id)};";
                if (declared.Add(decl))
                    _w.Write(decl + "\n\n");
            }
        }
        for (int id = _btf.StartId; id <= _btf.LastId; id++)
        {
            var t = _btf[id];
            if (t.Kind is BtfKind.Enum or BtfKind.Enum64 && (t.NameOffset != 0 || !_anonReferenced[id]))
            {
                _w.Write(EnumDefinition(t, 0));
                _w.Write(";\n\n");
                _state[id] = State.Done;
            }
        }
        for (int id = _btf.StartId; id <= _btf.LastId; id++)
        {
            var t = _btf[id];
            if (t.Kind == BtfKind.Typedef)
                EmitTypedef(id);
            else if (t.Kind is BtfKind.Struct or BtfKind.Union && t.NameOffset != 0)
                EmitComposite(id);
        }

        EmitKfuncPrototypes();
        _w.Write("#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n#pragma clang attribute pop\n#endif\n\n#endif /* __VMLINUX_H__ */\n");
    }

    // Anonymous types used by another type are written inline there; unused anonymous enums stand alone.
    private void MarkAnonymousReferences()
    {
        for (int id = _btf.StartId; id <= _btf.LastId; id++)
        {
            var t = _btf[id];
            switch (t.Kind)
            {
                case BtfKind.Struct or BtfKind.Union:
                    foreach (var m in t.Members)
                        Mark(m.Type);
                    break;
                case BtfKind.FuncProto:
                    Mark(t.Type);
                    foreach (var p in t.Params)
                        Mark(p.Type);
                    break;
                case BtfKind.Array:
                    Mark(t.Array.ElemType);
                    break;
                case BtfKind.Ptr or BtfKind.Typedef or BtfKind.Const or BtfKind.Volatile or BtfKind.Restrict or BtfKind.TypeTag
                    or BtfKind.Var or BtfKind.Func:
                    Mark(t.Type);
                    break;
            }
        }

        void Mark(int id)
        {
            if ((uint)id < (uint)_anonReferenced.Length)
                _anonReferenced[id] = true;
        }
    }

    private void AssignName(int id)
    {
        var t = _btf[id];
        if (t.NameOffset == 0)
            return;
        string name = t.Name;
        switch (t.Kind)
        {
            case BtfKind.Struct or BtfKind.Union or BtfKind.Enum or BtfKind.Enum64:
                _names[id] = Unique(_tagCounts, name);
                break;
            case BtfKind.Fwd:
                // A forward declaration names the same tag as the definition, if there is one.
                _names[id] = name;
                break;
            case BtfKind.Typedef:
                _names[id] = Unique(_identCounts, name);
                break;
            default:
                _names[id] = name;
                break;
        }
    }

    private static string Unique(Dictionary<string, int> counts, string name)
    {
        int n = counts.TryGetValue(name, out int c) ? c + 1 : 1;
        counts[name] = n;
        return n > 1 ? $"{name}___{n}" : name;
    }

    private string Name(int id) => _names[id] ?? _btf[id].Name;

    private static string Keyword(BtfType t) => t.Kind switch
    {
        BtfKind.Struct => "struct",
        BtfKind.Union => "union",
        BtfKind.Fwd => t.IsUnionFwd ? "union" : "struct",
        _ => "enum",
    };

    // ---- ordering ----

    /// <summary>Makes sure everything <paramref name="id"/> needs is already written (complete when used by value).</summary>
    private void Require(int id, bool byValue)
    {
        for (int hops = 0; hops < 64; hops++)
        {
            var t = _btf[id];
            switch (t.Kind)
            {
                case BtfKind.Const or BtfKind.Volatile or BtfKind.Restrict or BtfKind.TypeTag:
                    id = t.Type;
                    continue;
                case BtfKind.Typedef:
                    EmitTypedef(id);
                    if (!byValue)
                        return;
                    id = t.Type;
                    continue;
                case BtfKind.Struct or BtfKind.Union:
                    if (t.NameOffset != 0)
                    {
                        if (byValue)
                            EmitComposite(id);
                        return;
                    }
                    foreach (var m in t.Members)
                        Require(m.Type, true);
                    return;
                case BtfKind.Ptr:
                    id = t.Type;
                    byValue = false;
                    continue;
                case BtfKind.Array:
                    // Array elements must be complete even behind a pointer.
                    id = t.Array.ElemType;
                    byValue = true;
                    continue;
                case BtfKind.FuncProto:
                    Require(t.Type, false);
                    foreach (var p in t.Params)
                        Require(p.Type, false);
                    return;
                default:
                    return;
            }
        }
    }

    private void EmitTypedef(int id)
    {
        if (_state[id] != State.None)
            return;
        // A compiler built-in: redefining it breaks compilation with another compiler (libbpf skips it too).
        if (_btf[id].Name == "__builtin_va_list")
        {
            _state[id] = State.Done;
            return;
        }
        _state[id] = State.Visiting;
        var t = _btf[id];
        Require(t.Type, IsAnonymousComposite(t.Type));
        _w.Write("typedef ");
        _w.Write(Declaration(t.Type, Name(id), 0));
        _w.Write(";\n\n");
        _state[id] = State.Done;
    }

    private bool IsAnonymousComposite(int id)
    {
        var t = _btf[id];
        return t.Kind is BtfKind.Struct or BtfKind.Union && t.NameOffset == 0;
    }

    private void EmitComposite(int id)
    {
        if (_state[id] != State.None)
            return;
        _state[id] = State.Visiting;
        var t = _btf[id];
        foreach (var m in t.Members)
            Require(m.Type, true);
        _w.Write(CompositeDefinition(t, 0));
        _w.Write(";\n\n");
        _state[id] = State.Done;
    }

    // ---- declarations ----

    /// <summary>A C declaration of <paramref name="inner"/> (possibly empty) with type <paramref name="id"/>.</summary>
    private string Declaration(int id, string inner, int level)
    {
        var t = _btf[id];
        string Join(string type) => inner.Length == 0 ? type : $"{type} {inner}";
        switch (t.Kind)
        {
            case BtfKind.Unknown:
                return Join("void");
            case BtfKind.Int or BtfKind.Float:
                return Join(t.Name);
            case BtfKind.Typedef:
                return Join(Name(id));
            case BtfKind.Struct or BtfKind.Union:
                return Join(t.NameOffset != 0 ? $"{Keyword(t)} {Name(id)}" : CompositeDefinition(t, level));
            case BtfKind.Enum or BtfKind.Enum64:
                return Join(t.NameOffset != 0 ? $"enum {Name(id)}" : EnumDefinition(t, level));
            case BtfKind.Fwd:
                return Join($"{Keyword(t)} {Name(id)}");
            case BtfKind.Ptr:
            {
                string star = "*" + inner;
                return NeedsParens(t.Type) ? Declaration(t.Type, $"({star})", level) : Declaration(t.Type, star, level);
            }
            case BtfKind.Const or BtfKind.Volatile or BtfKind.Restrict:
            {
                string q = t.Kind switch { BtfKind.Const => "const", BtfKind.Volatile => "volatile", _ => "restrict" };
                if (QualifiesAgain(t))
                    return Declaration(t.Type, inner, level);   // "const const" collapses to one
                // A qualified pointer puts the qualifier after the star: "int * const p".
                if (SkipTags(t.Type) is var target && _btf[target].Kind == BtfKind.Ptr)
                    return Declaration(target, inner.Length == 0 ? q : $"{q} {inner}", level);
                return $"{q} {Declaration(t.Type, inner, level)}";
            }
            case BtfKind.TypeTag:
                // A tag in attribute form (kind_flag, e.g. address_space(1) of arena pointers) is written as libbpf
                // does, after the type it tags; a plain btf_type_tag (__rcu, __user) is not written.
                return Declaration(t.Type, t.KindFlag ? (inner.Length == 0 ? $"__attribute__(({t.Name}))" : $"__attribute__(({t.Name})) {inner}") : inner, level);
            case BtfKind.Array:
                return Declaration(t.Array.ElemType, $"{inner}[{t.Array.NElems.ToString(CultureInfo.InvariantCulture)}]", level);
            case BtfKind.FuncProto:
            {
                var ps = t.Params;
                var parts = new List<string>();
                for (int i = 0; i < ps.Count; i++)
                {
                    if (ps[i].Type == 0 && i == ps.Count - 1)
                        parts.Add("...");
                    else
                        parts.Add(Declaration(ps[i].Type, ps[i].NameOffset == 0 ? "" : ps[i].Name, level));   // a FUNC's prototype names its parameters
                }
                string args = parts.Count == 0 ? "void" : string.Join(", ", parts);
                return Declaration(t.Type, $"{inner}({args})", level);
            }
            default:
                return Join("void");
        }
    }

    // A qualifier on an array applies to its elements; when those carry the same qualifier, C would see it twice.
    private bool QualifiesAgain(BtfType qualifier)
    {
        int id = qualifier.Type;
        for (int hops = 0; hops < 64; hops++)
        {
            var t = _btf[id];
            if (t.Kind == BtfKind.TypeTag)
                id = t.Type;
            else if (t.Kind == BtfKind.Array)
                id = t.Array.ElemType;
            else
                return t.Kind == qualifier.Kind;
        }
        return false;
    }

    private int SkipTags(int id)
    {
        while (_btf[id].Kind == BtfKind.TypeTag)
            id = _btf[id].Type;
        return id;
    }

    // "(*p)[4]" and "(*f)(int)": a pointer to an array or function needs parentheses.
    private bool NeedsParens(int id)
    {
        var t = _btf[SkipTags(id)];
        return t.Kind is BtfKind.Array or BtfKind.FuncProto;
    }

    private static string Indent(int level) => new('\t', level);

    private string EnumDefinition(BtfType t, int level)
    {
        // An enum without values is a forward declaration in BTF (6.1's vmlinux has some): C allows no empty enum.
        if (t.Vlen == 0 && t.NameOffset != 0)
            return $"enum {Name(t.Id)}";
        var sb = new StringBuilder();
        sb.Append("enum");
        if (t.NameOffset != 0)
            sb.Append(' ').Append(Name(t.Id));
        sb.Append(" {");
        bool signed = t.KindFlag;
        foreach (var v in t.EnumValues)
        {
            string name = Unique(_identCounts, v.Name);
            string value = t.Kind == BtfKind.Enum64
                ? signed ? $"{v.Value}LL" : $"{v.RawValue}ULL"
                : signed ? ((int)(uint)v.RawValue).ToString(CultureInfo.InvariantCulture) : ((uint)v.RawValue).ToString(CultureInfo.InvariantCulture);
            sb.Append('\n').Append(Indent(level + 1)).Append(name).Append(" = ").Append(value).Append(',');
        }
        if (t.Vlen > 0)
            sb.Append('\n').Append(Indent(level));
        sb.Append('}');
        // Keep the size the kernel uses: enums of 1 or 2 bytes are narrower than int.
        if (t.Size == 1)
            sb.Append(" __attribute__((mode(byte)))");
        else if (t.Size == 2)
            sb.Append(" __attribute__((mode(HI)))");
        return sb.ToString();
    }

    private string CompositeDefinition(BtfType t, int level)
    {
        var sb = new StringBuilder();
        bool isStruct = t.Kind == BtfKind.Struct;
        bool packed = isStruct && IsPacked(t);
        // A record of functions or voids has no alignment; 1 keeps the padding arithmetic defined.
        int align = Math.Max(1, AlignOf(t.Id));
        sb.Append(isStruct ? "struct" : "union");
        if (t.NameOffset != 0)
            sb.Append(' ').Append(Name(t.Id));
        sb.Append(" {");
        long off = 0;
        bool prevBitfield = false;
        foreach (var m in t.Members)
        {
            long mOff = m.BitOffset;
            int mSz = (int)m.BitfieldSize;
            int mAlign = packed ? 1 : Math.Max(1, AlignOf(m.Type));
            bool inBitfield = prevBitfield && mSz != 0;
            if (isStruct)
                Padding(sb, off, mOff, mAlign, inBitfield, packed, level + 1);
            sb.Append('\n').Append(Indent(level + 1)).Append(Declaration(m.Type, m.Name, level + 1));
            if (mSz != 0)
            {
                sb.Append(": ").Append(mSz.ToString(CultureInfo.InvariantCulture));
                off = mOff + mSz;
                prevBitfield = true;
            }
            else
            {
                off = mOff + Math.Max(0, _btf.ResolveSize(m.Type)) * 8;
                prevBitfield = false;
            }
            sb.Append(';');
        }
        if (isStruct)
            Padding(sb, off, (long)t.Size * 8, align, false, packed, level + 1);
        if (t.Vlen > 0 || t.Size > 0)
            sb.Append('\n').Append(Indent(level));
        sb.Append('}');
        if (packed)
            sb.Append(" __attribute__((packed))");
        return sb.ToString();
    }

    // libbpf's btf_is_struct_packed: the size is not a multiple of the alignment, or a non-bitfield member is misaligned.
    private bool IsPacked(BtfType t)
    {
        int maxAlign = 1;
        foreach (var m in t.Members)
        {
            int a = AlignOf(m.Type);
            if (a > 0 && m.BitfieldSize == 0 && m.BitOffset % (uint)(8 * a) != 0)
                return true;
            maxAlign = Math.Max(maxAlign, a);
        }
        return t.Size % (uint)maxAlign != 0;
    }

    // libbpf's btf_dump_emit_bit_padding: fill [cur, next) with anonymous bitfields of long/int/short/char.
    // Without a marker it relies on the compiler aligning `long: 64` to the long boundary, which does not happen in a
    // packed struct: there the `long: 0` marker (which does align, packed or not) is always written. Found by the
    // property test CHeaderCompiledByClangHasTheBtfLayout (libbpf's function has the same rule).
    private void Padding(StringBuilder sb, long cur, long next, int nextAlign, bool inBitfield, bool packed, int level)
    {
        if (cur >= next)
            return;
        // bpftool writes one line per 8 bytes of a gap: an absurd struct size must not grow memory without bound.
        _paddingBits += next - cur;
        if (_paddingBits > MaxPaddingBits)
            throw new Diagnostics.BpfFormatException($"btf_dump: more than {MaxPaddingBits / 8} bytes of padding to write (struct sizes are implausible)", Diagnostics.Errno.E2BIG);
        (string Name, int Bits)[] pads = [("long", _ptrBits), ("int", 32), ("short", 16), ("char", 8)];
        long newOff = 0;
        int padBits = 0;
        string padType = "";
        foreach (var (name, bits) in pads)
        {
            padBits = bits;
            padType = name;
            newOff = (cur + bits - 1) / bits * bits;
            if (newOff <= next)
                break;
        }
        if (newOff > cur && newOff <= next)
        {
            long alignedCur = (cur + nextAlign * 8L - 1) / (nextAlign * 8L) * (nextAlign * 8L);
            if (inBitfield || packed || (newOff == next && alignedCur != newOff) || (newOff != next && next - newOff <= newOff - cur))
                sb.Append('\n').Append(Indent(level)).Append(CultureInfo.InvariantCulture, $"{padType}: {(inBitfield ? newOff - cur : 0)};");
            cur = newOff;
        }
        while (cur != next)
        {
            long bits = Math.Min(next - cur, padBits);
            if (bits == padBits)
            {
                sb.Append('\n').Append(Indent(level)).Append(CultureInfo.InvariantCulture, $"{padType}: {padBits};");
                cur += bits;
                continue;
            }
            for (int i = pads.Length - 1; i >= 0; i--)
            {
                if (pads[i].Bits < bits)
                    continue;
                sb.Append('\n').Append(Indent(level)).Append(CultureInfo.InvariantCulture, $"{pads[i].Name}: {bits};");
                cur += bits;
                break;
            }
        }
    }

    // libbpf's btf__align_of.
    private int AlignOf(int id)
    {
        for (int hops = 0; hops < 64; hops++)
        {
            var t = _btf[id];
            switch (t.Kind)
            {
                case BtfKind.Int or BtfKind.Enum or BtfKind.Enum64 or BtfKind.Float:
                    return (int)Math.Min(t.Size, (uint)_btf.PointerSize);
                case BtfKind.Ptr:
                    return _btf.PointerSize;
                case BtfKind.Typedef or BtfKind.Volatile or BtfKind.Const or BtfKind.Restrict or BtfKind.TypeTag:
                    id = t.Type;
                    continue;
                case BtfKind.Array:
                    id = t.Array.ElemType;
                    continue;
                case BtfKind.Struct or BtfKind.Union:
                {
                    // A misaligned member or a size that is not a multiple of the alignment means packed: align 1.
                    int max = 1;
                    foreach (var m in t.Members)
                    {
                        int a = AlignOf(m.Type);
                        if (a <= 0)
                            return a;
                        max = Math.Max(max, a);
                        if (m.BitfieldSize == 0 && m.BitOffset % (uint)(8 * a) != 0)
                            return 1;
                    }
                    return t.Size % (uint)max != 0 ? 1 : max;
                }
                default:
                    return 0;
            }
        }
        return 0;
    }
}
