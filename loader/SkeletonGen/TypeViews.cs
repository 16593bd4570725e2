namespace BpfLoader.SkeletonGen;

/// <summary>How a BTF type is accessed from C#: a value, a generated view class, an array of either, or raw bytes.</summary>
internal abstract record Shape(long Size);

/// <summary>Read and written whole: integers, bool, enums, floats, pointers (as <c>ulong</c>).</summary>
internal sealed record ScalarShape(string CsType, long Size, string? Comment = null) : Shape(Size);

internal sealed record ViewShape(string ClassName, long Size) : Shape(Size);

internal sealed record ArrayShape(Shape Element, long Count, long Size) : Shape(Size);

internal sealed record CharArrayShape(long Count) : Shape(Count);

internal sealed record BytesShape(long Size, string Why) : Shape(Size);

/// <summary>
/// Generates, into the skeleton's nested <c>Types</c> class, a view class per BTF struct/union reachable from a
/// variable (members at their BTF offsets; anonymous members flattened as C does; bitfields through bit accessors)
/// and a C# enum per named BTF enum. Every view class carries its BTF type id and a <c>BtfLayout</c> table of
/// (C name, offset, size, bit offset, bit size) that the layout test compares with the object's BTF.
/// </summary>
internal sealed class TypeViews(BtfTypes btf)
{
    private const string Rt = "global::BpfLoader.Skeletons.";
    private readonly Dictionary<int, string> _classNames = [];
    private readonly List<int> _pending = [];
    private readonly NameScope _typeNames = new("Types");
    private readonly SourceWriter _out = new();

    public bool IsEmpty => _classNames.Count == 0;

    /// <summary>The shape of <paramref name="typeId"/>; struct views and enums are queued for <see cref="Emit"/>.</summary>
    public Shape ShapeOf(int typeId, string hint)
    {
        var t = btf.Resolve(typeId);
        switch (t.Kind)
        {
            case Kind.Int:
                return IntShape(t);
            case Kind.Float:
                return t.SizeOrType switch
                {
                    4 => new ScalarShape("float", 4),
                    8 => new ScalarShape("double", 8),
                    _ => new BytesShape(t.SizeOrType, $"{t.SizeOrType}-byte float '{t.Name}' has no C# type"),
                };
            case Kind.Ptr:
                return btf.Resolve(t.RefType).Kind == Kind.FuncProto
                    ? new ScalarShape("ulong", 8, "function pointer, as an integer")
                    : new ScalarShape("ulong", 8, "pointer, as an integer");
            case Kind.Enum or Kind.Enum64:
                return EnumShape(t);
            case Kind.Array:
                var elem = btf.Resolve(t.ArrayElem);
                if (elem.Kind == Kind.Int && elem.SizeOrType == 1 && IsChar(elem))
                    return new CharArrayShape(t.ArrayCount);
                var elemShape = ShapeOf(t.ArrayElem, hint);
                return new ArrayShape(elemShape, t.ArrayCount, t.ArrayCount * elemShape.Size);
            case Kind.Struct or Kind.Union:
                return new ViewShape(ClassFor(t, hint), t.SizeOrType);
            default:
                return new BytesShape(SafeSize(typeId), $"BTF {t.Kind} '{t.Name}' has no C# view");
        }
    }

    private long SafeSize(int id)
    {
        try
        {
            return btf.SizeOf(id);
        }
        catch (SkeletonGenException)
        {
            return 0;
        }
    }

    private static bool IsChar(BtfTypeRecord t) => (t.IntEncoding & 2) != 0 || t.Name == "char";

    private static Shape IntShape(BtfTypeRecord t)
    {
        if (t.IsBool && t.SizeOrType == 1)
            return new ScalarShape("bool", 1);
        if (t.SizeOrType == 1 && IsChar(t))
            return new ScalarShape("byte", 1, "char");
        bool s = t.IsSignedInt;
        return t.SizeOrType switch
        {
            1 => new ScalarShape(s ? "sbyte" : "byte", 1),
            2 => new ScalarShape(s ? "short" : "ushort", 2),
            4 => new ScalarShape(s ? "int" : "uint", 4),
            8 => new ScalarShape(s ? "long" : "ulong", 8),
            16 => new ScalarShape(s ? "global::System.Int128" : "global::System.UInt128", 16),
            _ => new BytesShape(t.SizeOrType, $"{t.SizeOrType}-byte integer '{t.Name}' has no C# type"),
        };
    }

    private static string EnumBase(BtfTypeRecord t)
    {
        bool s = t.KindFlag;
        return t.SizeOrType switch
        {
            1 => s ? "sbyte" : "byte",
            2 => s ? "short" : "ushort",
            8 => s ? "long" : "ulong",
            _ => s ? "int" : "uint",
        };
    }

    private Shape EnumShape(BtfTypeRecord t)
    {
        if (t.SizeOrType is not (1 or 2 or 4 or 8))
            return new BytesShape(t.SizeOrType, $"{t.SizeOrType}-byte enum '{t.Name}'");
        if (t.Name.Length == 0)
            return new ScalarShape(EnumBase(t), t.SizeOrType, "anonymous enum");
        return new ScalarShape("Types." + ClassFor(t, t.Name), t.SizeOrType);
    }

    private string ClassFor(BtfTypeRecord t, string hint)
    {
        if (_classNames.TryGetValue(t.Id, out var name))
            return name;
        name = _typeNames.Claim(t.Name.Length > 0 ? Naming.Pascal(t.Name) : Naming.Pascal(hint) + "Type");
        _classNames[t.Id] = name;
        _pending.Add(t.Id);
        return name;
    }

    /// <summary>The C# type of an accessor for <paramref name="shape"/> (a property type).</summary>
    public static string AccessorType(Shape shape) => shape switch
    {
        ScalarShape s => s.CsType,
        ViewShape v => "Types." + v.ClassName,
        CharArrayShape => Rt + "SkeletonCharArray",
        ArrayShape { Element: ScalarShape e } => $"{Rt}SkeletonArray<{e.CsType}>",
        ArrayShape a => $"{Rt}SkeletonViewArray<{AccessorType(a.Element)}>",
        _ => Rt + "SkeletonBytes",
    };

    /// <summary>An expression building the view of a non-scalar shape at <paramref name="offset"/> in section <paramref name="section"/>.</summary>
    public static string Construct(Shape shape, string section, string offset) => shape switch
    {
        ViewShape v => $"new Types.{v.ClassName}({section}, {offset})",
        CharArrayShape c => $"new {Rt}SkeletonCharArray({section}, {offset}, {c.Count})",
        ArrayShape { Element: ScalarShape e } a => $"new {Rt}SkeletonArray<{e.CsType}>({section}, {offset}, {a.Count})",
        ArrayShape a => $"new {Rt}SkeletonViewArray<{AccessorType(a.Element)}>({section}, {offset}, {a.Count}, {a.Element.Size}, static (s, o) => {Construct(a.Element, "s", "o")})",
        _ => $"new {Rt}SkeletonBytes({section}, {offset}, {shape.Size})",
    };

    /// <summary>Writes one property for a member of <paramref name="shape"/> at <paramref name="offset"/> (an expression).</summary>
    public static void Accessor(SourceWriter w, string name, string cName, Shape shape, string section, string offset)
    {
        string comment = shape switch
        {
            ScalarShape { Comment: { } c } => $" ({c})",
            BytesShape b => $" (opaque bytes: {b.Why})",
            _ => "",
        };
        w.Doc($"C <c>{cName}</c>{comment}.");
        if (shape is ScalarShape s)
            w.Line($"public {s.CsType} {name} {{ get => {section}.Read<{s.CsType}>({offset}); set => {section}.Write({offset}, value); }}");
        else
            w.Line($"public {AccessorType(shape)} {name} => {Construct(shape, section, offset)};");
    }

    /// <summary>Writes the queued view classes and enums (and those they pull in) as the nested class <c>Types</c>.</summary>
    public void Emit(SourceWriter w)
    {
        if (_classNames.Count == 0)
            return;
        w.Doc("The struct, union and enum types of the object's variables, as views over the section bytes.");
        w.Open("public static class Types");
        for (int i = 0; i < _pending.Count; i++)
        {
            var t = btf[_pending[i]];
            if (t.Kind is Kind.Enum or Kind.Enum64)
                EmitEnum(w, t);
            else
                EmitView(w, t);
        }
        w.Close();
    }

    private void EmitEnum(SourceWriter w, BtfTypeRecord t)
    {
        string b = EnumBase(t);
        w.Doc($"C <c>enum {t.Name}</c> ({t.SizeOrType} bytes).");
        w.Open($"public enum {_classNames[t.Id]} : {b}");
        var names = new NameScope("value__");
        foreach (var e in t.Enumerators)
            w.Line($"{names.Claim(Naming.Escape(e.Name))} = unchecked(({b})({e.Value}L)),");
        w.Close();
    }

    private void EmitView(SourceWriter w, BtfTypeRecord t)
    {
        string cls = _classNames[t.Id];
        string kind = t.Kind == Kind.Union ? "union" : "struct";
        w.Doc($"C <c>{kind} {(t.Name.Length > 0 ? t.Name : "(anonymous)")}</c>: {t.SizeOrType} bytes; members read and write the section at their BTF offsets.");
        w.Open($"public sealed class {cls} : {Rt}SkeletonView");
        w.Line($"public {cls}({Rt}SkeletonSection section, int offset) : base(section, offset) {{ }}");
        w.Line($"public const int BtfTypeId = {t.Id};");
        w.Line($"public const int ByteSize = {t.SizeOrType};");
        var scope = new NameScope(cls, "Types", "Section", "Offset", "BtfTypeId", "ByteSize", "BtfLayout", "ToString", "Equals", "GetHashCode", "GetType", "MemberwiseClone", "Finalize");
        var layout = new List<string>();
        EmitMembers(w, t, 0, "", scope, layout, cls);
        Layout(w, layout);
        w.Close();
    }

    /// <summary>The <c>BtfLayout</c> table of a view or section class (what the layout test compares with BTF).</summary>
    public static void Layout(SourceWriter w, List<string> entries)
    {
        w.Line($"public static readonly {Rt}SkeletonField[] BtfLayout =");
        w.Line("[");
        foreach (var e in entries)
            w.Line("    " + e + ",");
        w.Line("];");
    }

    // Members of t at byte offset baseOff inside the view; anonymous struct/union members are flattened.
    private void EmitMembers(SourceWriter w, BtfTypeRecord t, long baseOff, string pathPrefix, NameScope scope, List<string> layout, string cls)
    {
        foreach (var m in t.Members)
        {
            var mt = btf.Resolve(m.Type);
            int bitfield = m.BitfieldSize;
            long bitOff = m.BitOffset;
            if (bitfield == 0 && mt.Kind == Kind.Int && mt.IntBits != mt.SizeOrType * 8)
            {
                bitfield = mt.IntBits;
                bitOff += mt.IntBitOffset;
            }
            if (m.Name.Length == 0 && mt.Kind is Kind.Struct or Kind.Union && bitfield == 0)
            {
                EmitMembers(w, mt, baseOff + bitOff / 8, pathPrefix, scope, layout, cls);
                continue;
            }
            string cName = pathPrefix + m.Name;
            string name = scope.Claim(Naming.Pascal(m.Name.Length > 0 ? m.Name : "anon"));
            if (bitfield != 0)
            {
                EmitBitfield(w, name, cName, mt, baseOff * 8 + bitOff, bitfield);
                layout.Add($"new({Naming.Literal(cName)}, {(baseOff * 8 + bitOff) / 8}, {btf.SizeOf(m.Type)}, {(baseOff * 8 + bitOff) % 8}, {bitfield})");
                continue;
            }
            if (bitOff % 8 != 0)
                throw new SkeletonGenException($"struct '{t.Name}': member '{m.Name}' is not byte-aligned and not a bitfield");
            long off = baseOff + bitOff / 8;
            var shape = ShapeOf(m.Type, cls + "_" + m.Name);
            Accessor(w, name, cName, shape, "Section", $"Offset + {off}");
            layout.Add($"new({Naming.Literal(cName)}, {off}, {shape.Size})");
        }
    }

    private void EmitBitfield(SourceWriter w, string name, string cName, BtfTypeRecord type, long bitOffset, int bits)
    {
        var shape = type.Kind is Kind.Int or Kind.Enum or Kind.Enum64 ? ShapeOf(type.Id, name) : null;
        if (shape is not ScalarShape s || s.CsType.StartsWith("global::", StringComparison.Ordinal))
            throw new SkeletonGenException($"bitfield '{cName}' of BTF kind {type.Kind} is not supported");
        bool signed = type.Kind == Kind.Int ? type.IsSignedInt : type.KindFlag;
        string read = $"Section.ReadBits(Offset, {bitOffset}, {bits}, {(signed ? "true" : "false")})";
        string get = s.CsType == "bool" ? $"{read} != 0" : $"unchecked(({s.CsType}){read})";
        string value = s.CsType == "bool" ? "value ? 1L : 0L" : "unchecked((long)value)";
        w.Doc($"C <c>{cName}</c>: a bitfield of {bits} bits at bit {bitOffset} (read and written bit by bit).");
        w.Line($"public {s.CsType} {name} {{ get => {get}; set => Section.WriteBits(Offset, {bitOffset}, {bits}, {value}); }}");
    }
}
