namespace BpfLoader.Btf;

// The rewrites libbpf's bpf_object__sanitize_btf applies when the kernel lacks a BTF feature. Each keeps the
// record size (so later ids and offsets are unaffected) and leaves BTF the older kernel accepts.
public sealed partial class Btf
{
    /// <summary>VAR → 1-byte INT of 8 bits (name kept): for kernels without VAR/DATASEC.</summary>
    public void ReplaceVarWithInt(int id)
    {
        ExpectKind(id, BtfKind.Var);
        EditRecord(id, r =>
        {
            Put(r, 1, Info(BtfKind.Int, 0, false));
            Put(r, 2, 1);
            Put(r, 3, 8);
        });
    }

    /// <summary>
    /// DATASEC → STRUCT whose members are the section's vars (member name = var name, type = the var's id,
    /// bit offset = byte offset * 8); '.' and '?' in the section name become '_'. For kernels without DATASEC.
    /// </summary>
    public void ReplaceDatasecWithStruct(int id)
    {
        var t = ExpectKind(id, BtfKind.Datasec);
        ReplaceNameChars(id, ".?", '_');
        var vars = t.DatasecVars.ToArray();
        var names = vars.Select(v => GetType(v.Type).NameOffset).ToArray();
        EditRecord(id, r =>
        {
            Put(r, 1, Info(BtfKind.Struct, vars.Length, false));
            for (int i = 0; i < vars.Length; i++)
            {
                Put(r, 3 + 3 * i, names[i]);
                Put(r, 4 + 3 * i, (uint)vars[i].Type);
                Put(r, 5 + 3 * i, unchecked(vars[i].Offset * 8));
            }
        });
    }

    /// <summary>'?' prefix of a DATASEC name (e.g. "?.data.x" for optional maps) → '_': for kernels rejecting it.</summary>
    public void FixDatasecQuestionMark(int id)
    {
        var t = ExpectKind(id, BtfKind.Datasec);
        if (t.Name.StartsWith('?'))
            ReplaceNameChars(id, "?", '_', firstCharOnly: true);
    }

    /// <summary>FUNC_PROTO → ENUM of 4 bytes whose values are the params (for kernels without FUNC support).</summary>
    public void ReplaceFuncProtoWithEnum(int id)
    {
        var t = ExpectKind(id, BtfKind.FuncProto);
        int vlen = t.Vlen;
        EditRecord(id, r =>
        {
            Put(r, 1, Info(BtfKind.Enum, vlen, false));
            Put(r, 2, 4);
        });
    }

    /// <summary>FUNC → TYPEDEF to the same target (for kernels without FUNC support).</summary>
    public void ReplaceFuncWithTypedef(int id)
    {
        ExpectKind(id, BtfKind.Func);
        EditRecord(id, r => Put(r, 1, Info(BtfKind.Typedef, 0, false)));
    }

    /// <summary>FLOAT → anonymous empty STRUCT of the same size.</summary>
    public void ReplaceFloatWithStruct(int id)
    {
        ExpectKind(id, BtfKind.Float);
        EditRecord(id, r =>
        {
            Put(r, 0, 0);
            Put(r, 1, Info(BtfKind.Struct, 0, false));
        });
    }

    /// <summary>DECL_TAG → anonymous 1-byte INT of 8 bits.</summary>
    public void ReplaceDeclTagWithInt(int id)
    {
        ExpectKind(id, BtfKind.DeclTag);
        EditRecord(id, r =>
        {
            Put(r, 0, 0);
            Put(r, 1, Info(BtfKind.Int, 0, false));
            Put(r, 2, 1);
            Put(r, 3, 8);
        });
    }

    /// <summary>TYPE_TAG → anonymous CONST of the same target.</summary>
    public void ReplaceTypeTagWithConst(int id)
    {
        ExpectKind(id, BtfKind.TypeTag);
        EditRecord(id, r =>
        {
            Put(r, 0, 0);
            Put(r, 1, Info(BtfKind.Const, 0, false));
        });
    }

    /// <summary>
    /// ENUM64 → UNION of the same size whose members (named after the values) all have type
    /// <paramref name="placeholderIntId"/> at offset 0, as libbpf does for kernels without ENUM64.
    /// </summary>
    public void ReplaceEnum64WithUnion(int id, int placeholderIntId)
    {
        var t = ExpectKind(id, BtfKind.Enum64);
        int vlen = t.Vlen;
        EditRecord(id, r =>
        {
            Put(r, 1, Info(BtfKind.Union, vlen, false));
            for (int i = 0; i < vlen; i++)
            {
                Put(r, 4 + 3 * i, (uint)placeholderIntId);
                Put(r, 5 + 3 * i, 0);
            }
        });
    }
}
