using BpfLoader.Btf;
using BpfLoader.Kernel;

namespace BpfLoader.Objects;

using Btf = BpfLoader.Btf.Btf;

/// <summary>
/// libbpf's <c>bpf_object__sanitize_btf</c>: when the kernel lacks a BTF feature the object uses, a copy of the
/// object BTF is rewritten into something the kernel accepts (the object's own BTF stays intact).
/// </summary>
internal static class BtfSanitizer
{
    /// <summary>The features this kernel lacks among those the rules below can work around.</summary>
    public static IReadOnlySet<BtfFeature> MissingFeatures() => BtfFeatures.Missing(BtfFeatures.Has);

    /// <summary>A sanitized copy, or the object BTF itself when no rule applies.</summary>
    public static Btf Sanitize(Btf btf, IReadOnlySet<BtfFeature> missing)
    {
        if (missing.Count == 0 || !NeedsRewrite(btf, missing))
            return btf;
        var copy = btf.Clone();
        int enum64Placeholder = 0;
        for (int id = copy.StartId; id <= copy.LastId; id++)
        {
            var t = copy[id];
            switch (t.Kind)
            {
                case BtfKind.Var when missing.Contains(BtfFeature.Datasec):
                    copy.ReplaceVarWithInt(id);
                    break;
                case BtfKind.Datasec when missing.Contains(BtfFeature.Datasec):
                    copy.ReplaceDatasecWithStruct(id);
                    break;
                case BtfKind.Datasec when missing.Contains(BtfFeature.QuestionMarkDatasec) && t.Name.StartsWith('?'):
                    copy.FixDatasecQuestionMark(id);
                    break;
                case BtfKind.FuncProto when missing.Contains(BtfFeature.Func):
                    copy.ReplaceFuncProtoWithEnum(id);
                    break;
                case BtfKind.Func when missing.Contains(BtfFeature.Func):
                    copy.ReplaceFuncWithTypedef(id);
                    break;
                case BtfKind.Func when missing.Contains(BtfFeature.GlobalFunc):
                    copy.SetFuncLinkage(id, BtfFuncLinkage.Static);
                    break;
                case BtfKind.Float when missing.Contains(BtfFeature.Float):
                    copy.ReplaceFloatWithStruct(id);
                    break;
                case BtfKind.DeclTag when missing.Contains(BtfFeature.DeclTag):
                    copy.ReplaceDeclTagWithInt(id);
                    break;
                case BtfKind.TypeTag when missing.Contains(BtfFeature.TypeTag):
                    copy.ReplaceTypeTagWithConst(id);
                    break;
                case BtfKind.Enum when missing.Contains(BtfFeature.Enum64) && t.KindFlag:
                    copy.SetKind(id, BtfKind.Enum, t.Vlen, kindFlag: false);
                    break;
                case BtfKind.Enum64 when missing.Contains(BtfFeature.Enum64):
                    if (enum64Placeholder == 0)
                        enum64Placeholder = copy.AddInt("enum64_placeholder", 1, BtfIntEncoding.None);
                    copy.ReplaceEnum64WithUnion(id, enum64Placeholder);
                    break;
            }
        }
        return copy;
    }

    private static bool NeedsRewrite(Btf btf, IReadOnlySet<BtfFeature> missing)
    {
        for (int id = btf.StartId; id <= btf.LastId; id++)
        {
            var t = btf[id];
            bool hit = t.Kind switch
            {
                BtfKind.Var or BtfKind.Datasec when missing.Contains(BtfFeature.Datasec) => true,
                BtfKind.Datasec => missing.Contains(BtfFeature.QuestionMarkDatasec) && t.Name.StartsWith('?'),
                BtfKind.Func or BtfKind.FuncProto => missing.Contains(BtfFeature.Func) || missing.Contains(BtfFeature.GlobalFunc),
                BtfKind.Float => missing.Contains(BtfFeature.Float),
                BtfKind.DeclTag => missing.Contains(BtfFeature.DeclTag),
                BtfKind.TypeTag => missing.Contains(BtfFeature.TypeTag),
                BtfKind.Enum or BtfKind.Enum64 => missing.Contains(BtfFeature.Enum64),
                _ => false,
            };
            if (hit)
                return true;
        }
        return false;
    }
}
