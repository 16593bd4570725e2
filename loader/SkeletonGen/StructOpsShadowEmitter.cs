namespace BpfLoader.SkeletonGen;

/// <summary>
/// The typed shadow of one struct_ops map (linker-and-skeletons.md §5.1): walking the local struct's members in
/// BTF order, scalars (INT, FLOAT, ENUM after dropping modifiers and typedefs) become typed properties over the
/// runtime shadow's bytes, function pointers become <c>BpfProgram?</c> slots, everything else (structs, unions,
/// arrays, data pointers, bitfields) opaque bytes named <c>__unsupported_&lt;i&gt;</c>, and the gaps
/// <c>__padding_&lt;i&gt;</c>/<c>__padding_end</c>, so the members cover the struct exactly as bpftool's do.
/// </summary>
internal sealed class StructOpsShadowEmitter(BtfTypes btf, TypeViews types)
{
    private const string Shadow = "global::BpfLoader.Maps.StructOpsShadow";

    public void Emit(SourceWriter w, string cls, StructOpsMap map)
    {
        var t = btf.Resolve(map.TypeId);
        if (t.Kind != Kind.Struct)
            throw new SkeletonGenException($"struct_ops map '{map.Ident}': value type [{t.Id}] is not a struct");
        w.Doc($"Shadow of struct_ops map '{map.Ident}' (local type <c>struct {t.Name}</c>, {t.SizeOrType} bytes): set before load, read at load.");
        w.Open($"public sealed class {cls}");
        w.Line($"internal {cls}({Shadow} shadow) => Shadow = shadow;");
        w.Doc("The runtime shadow these members read and write.");
        w.Line($"public {Shadow} Shadow {{ get; }}");
        w.Line($"public const string LocalTypeName = {Naming.Literal(t.Name)};");
        w.Line($"public const int BtfTypeId = {t.Id};");
        var scope = new NameScope(cls, "Types", "Shadow", "LocalTypeName", "BtfTypeId", "BtfLayout", "ToString", "Equals", "GetHashCode", "GetType", "MemberwiseClone", "Finalize");
        var layout = new List<string>();
        long next = 0;
        for (int i = 0; i < t.Members.Count; i++)
        {
            var m = t.Members[i];
            long offset = m.BitOffset / 8;
            if (next < offset)
                Bytes(w, scope.Claim($"__padding_{i}"), next, offset - next, "padding", layout);
            var mt = btf.Resolve(m.Type);
            long size = btf.SizeOf(m.Type);
            bool bitfield = m.BitfieldSize != 0 || (mt.Kind == Kind.Int && mt.IntBits != mt.SizeOrType * 8);
            string name = scope.Claim(Naming.Pascal(m.Name));
            if (mt.Kind == Kind.Ptr && btf.Resolve(mt.RefType).Kind == Kind.FuncProto)
            {
                w.Doc($"Function pointer <c>{m.Name}</c>: a struct_ops program of the object, or null to leave the slot empty.");
                w.Line($"public global::BpfLoader.Programs.BpfProgram? {name} {{ get => Shadow.GetProgram({i}); set => Shadow.SetProgram({i}, value); }}");
                layout.Add($"new({Naming.Literal(m.Name)}, {offset}, 8)");
                next = offset + 8;
                continue;
            }
            if (!bitfield && mt.Kind is Kind.Int or Kind.Float or Kind.Enum or Kind.Enum64 && types.ShapeOf(m.Type, m.Name) is ScalarShape s)
            {
                w.Doc($"<c>{m.Name}</c>.");
                w.Line($"public {s.CsType} {name} {{ get => Shadow.Get<{s.CsType}>({offset}); set => Shadow.Set({offset}, value); }}");
                layout.Add($"new({Naming.Literal(m.Name)}, {offset}, {size})");
            }
            else
            {
                Bytes(w, scope.Claim($"__unsupported_{i}"), offset, size, $"<c>{m.Name}</c> ({(bitfield ? "bitfield" : mt.Kind.ToString().ToLowerInvariant())})", layout, m.Name);
            }
            next = offset + size;
        }
        if (next < t.SizeOrType)
            Bytes(w, scope.Claim("__padding_end"), next, t.SizeOrType - next, "padding", layout);
        w.Doc("Every member with its C name (padding as bpftool names it), offset and size: together they cover the struct.");
        TypeViews.Layout(w, layout);
        w.Close();
        w.Line();
    }

    // Opaque bytes; the layout entry carries the C member's name, or the padding's own name.
    private static void Bytes(SourceWriter w, string name, long offset, long size, string what, List<string> layout, string? cName = null)
    {
        w.Line($"/// <summary>Opaque bytes {offset}..{offset + size}: {what}.</summary>");
        w.Line($"public global::System.Span<byte> {name} => Shadow.Data.Slice({offset}, {size});");
        layout.Add($"new({Naming.Literal(cName ?? name)}, {offset}, {size})");
    }
}
