using System.Text;
using BpfLoader.Btf;
using BpfLoader.Core;
using BpfLoader.Diagnostics;
using BpfLoader.Elf;
using BpfLoader.Kernel;
using BpfLoader.Maps;

namespace BpfLoader.Externs;

using Btf = BpfLoader.Btf.Btf;

/// <summary>
/// libbpf's <c>bpf_object__collect_externs</c> and <c>bpf_object__init_kconfig_map</c> (open phase): finds
/// undefined symbols, their BTF VAR/FUNC and DATASEC (.kconfig or .ksyms), lays out the .kconfig map and
/// rewrites the two DATASECs so the kernel accepts the object BTF (externs become allocated 4-byte vars,
/// extern FUNCs leave the DATASEC for a dummy var).
/// </summary>
internal static class ExternCollector
{
    public const string KconfigSection = ".kconfig", KsymsSection = ".ksyms";

    /// <summary>Collects the externs of <paramref name="elf"/>; throws a BpfException with libbpf's message on bad input.</summary>
    public static ObjectExterns Collect(ElfFile elf, string objName, Btf? btf)
    {
        var symbols = elf.Symbols;
        var candidates = new List<int>();
        for (int i = 0; i < symbols.Count; i++)
        {
            var s = symbols[i];
            if (s.IsUndefined && (s.IsGlobal || s.IsWeak) && s.Type == ElfConstants.SttNotype && s.Name.Length > 0)
                candidates.Add(i);
        }
        if (candidates.Count == 0)
        {
            return new ObjectExterns([]);
        }
        if (btf is null)
            throw LibbpfError.ForObject(objName, $"failed to find BTF for extern '{symbols[candidates[0]].Name}': {-Errno.ENOENT}", Errno.ENOENT);

        int dummyVar = AddDummyKsymVar(btf);
        LibbpfLog.Debug($"looking for externs among {symbols.Count} symbols...");
        var externs = new List<ExternDesc>();
        int ksymSec = -1, kcfgSec = -1;
        foreach (int symIdx in candidates)
        {
            var sym = symbols[symIdx];
            int btfId = FindExternBtfId(btf, sym.Name);
            if (btfId <= 0)
                throw LibbpfError.ForObject(objName, $"failed to find BTF for extern '{sym.Name}': {btfId}", btfId == 0 ? Errno.ENOENT : -btfId);
            var t = btf[btfId];
            string name = t.Name;
            var nameBytes = Encoding.UTF8.GetBytes(name);
            var ext = new ExternDesc
            {
                Name = name,
                EssentialName = name[..CoreNames.EssentialLength(nameBytes)],
                BtfId = btfId,
                SymbolIndex = symIdx,
                IsWeak = sym.IsWeak,
            };
            int secId = FindExternSecBtfId(btf, btfId);
            if (secId <= 0)
                throw LibbpfError.ForObject(objName, $"failed to find BTF for extern '{name}' [{btfId}] section: {secId}", Errno.ENOENT);
            string secName = btf[secId].Name;
            if (secName == KconfigSection)
            {
                if (t.Kind == BtfKind.Func)
                    throw LibbpfError.ForObject(objName, $"extern function {name} is unsupported under {KconfigSection} section", Errno.ENOTSUP);
                kcfgSec = secId;
                ext.Kind = ExternKind.Kconfig;
                long sz = btf.ResolveSize(t.Type);
                if (sz <= 0)
                    throw LibbpfError.ForObject(objName, $"failed to resolve size of extern (kcfg) '{name}': {sz}", sz == 0 ? Errno.EINVAL : (int)-sz);
                // The .kconfig map holds every extern: one the kernel could never create is refused here, before
                // its image is allocated (and before a size over 2^31 turns negative).
                if (sz > MaxKconfigSize)
                    throw LibbpfError.ForObject(objName, $"extern (kcfg) '{name}' is too large ({sz} bytes, at most {MaxKconfigSize})", Errno.E2BIG);
                ext.KconfigSize = (int)sz;
                ext.KconfigAlign = AlignOf(btf, t.Type);
                if (ext.KconfigAlign <= 0)
                    throw LibbpfError.ForObject(objName, $"failed to determine alignment of extern (kcfg) '{name}': {ext.KconfigAlign}", Errno.EINVAL);
                ext.KconfigType = KconfigTypeOf(btf, t.Type, out bool signed);
                ext.KconfigSigned = signed;
                if (ext.KconfigType == KconfigType.Unknown)
                    throw LibbpfError.ForObject(objName, $"extern (kcfg) '{name}': type is unsupported", Errno.ENOTSUP);
            }
            else if (secName == KsymsSection)
            {
                ksymSec = secId;
                ext.Kind = ExternKind.Ksym;
                ext.IsFunction = t.Kind == BtfKind.Func;
                CoreNames.Skip(btf, t.Type, out int typeId, out _);
                ext.KsymTypeId = typeId;
            }
            else
            {
                throw LibbpfError.ForObject(objName, $"unrecognized extern section '{secName}'", Errno.ENOTSUP);
            }
            externs.Add(ext);
        }
        LibbpfLog.Debug($"collected {externs.Count} externs total");
        externs.Sort(Compare);

        if (ksymSec > 0)
            RewriteKsymsDatasec(btf, ksymSec, externs, dummyVar, objName);
        if (kcfgSec > 0)
            LayOutKconfig(btf, kcfgSec, externs, objName);
        return new ObjectExterns(externs);
    }

    /// <summary>
    /// The largest .kconfig image: the kernel refuses array values above KMALLOC_MAX_SIZE (4 MiB on x86-64 and
    /// arm64 with 4 KiB pages), so no real object has more; Kconfig values are a few bytes each.
    /// </summary>
    internal const int MaxKconfigSize = 4 << 20;

    /// <summary>The internal .kconfig map (read-only for programs, frozen after load), or nothing.</summary>
    public static IEnumerable<BpfMap> KconfigMap(ObjectExterns externs, string objName, Btf? btf)
    {
        var last = externs.Externs.LastOrDefault(e => e.Kind == ExternKind.Kconfig);
        if (last is null)
            yield break;
        int size = last.KconfigOffset + last.KconfigSize;
        var map = new BpfMap(InternalMapNames.For(objName, KconfigSection), BpfMapType.Array, 4, (uint)size, 1, BpfFlags.Mmapable | BpfFlags.RdOnlyProg)
        {
            SectionName = KconfigSection,
            IsInternal = true,
            InitialData = new byte[size],
        };
        int datasec = btf?.FindByName(KconfigSection, BtfKind.Datasec) ?? -1;
        if (datasec > 0)
            map.BtfValueTypeId = datasec;
        externs.KconfigMap = map;
        LibbpfLog.Debug($"map '{map.Name}' (global data): at sec_idx 0, offset 0, flags {map.Flags:x}.");
        yield return map;
    }

    // libbpf's cmp_externs: kconfig before ksyms; kconfig by descending alignment then ascending size; then name.
    private static int Compare(ExternDesc a, ExternDesc b)
    {
        if (a.Kind != b.Kind)
            return a.Kind < b.Kind ? -1 : 1;
        if (a.Kind == ExternKind.Kconfig)
        {
            if (a.KconfigAlign != b.KconfigAlign)
                return a.KconfigAlign > b.KconfigAlign ? -1 : 1;
            if (a.KconfigSize != b.KconfigSize)
                return a.KconfigSize < b.KconfigSize ? -1 : 1;
        }
        return string.CompareOrdinal(a.Name, b.Name);
    }

    private static int FindExternBtfId(Btf btf, string name)
    {
        foreach (int id in btf.FindAllByName(name))
        {
            var t = btf[id];
            if (t.Kind == BtfKind.Var)
                return t.VarLinkage == BtfVarLinkage.GlobalExtern ? id : -Errno.EINVAL;
            if (t.Kind == BtfKind.Func)
                return t.FuncLinkage == BtfFuncLinkage.Extern ? id : -Errno.EINVAL;
        }
        return -Errno.ENOENT;
    }

    private static int FindExternSecBtfId(Btf btf, int externId)
    {
        for (int id = 1; id <= btf.LastId; id++)
        {
            var t = btf[id];
            if (t.Kind != BtfKind.Datasec)
                continue;
            foreach (var v in t.DatasecVars)
            {
                if (v.Type == externId)
                    return id;
            }
        }
        return -Errno.ENOENT;
    }

    // An extern FUNC cannot stay in a DATASEC: libbpf points its slot at a "dummy_ksym" int VAR.
    private static int AddDummyKsymVar(Btf btf)
    {
        int sec = btf.FindByName(KsymsSection, BtfKind.Datasec);
        if (sec <= 0 || !btf[sec].DatasecVars.Any(v => btf[v.Type].Kind == BtfKind.Func))
            return 0;
        return btf.AddVar("dummy_ksym", FindIntBtfId(btf), BtfVarLinkage.GlobalAllocated);
    }

    private static int FindIntBtfId(Btf btf)
    {
        for (int id = 1; id <= btf.LastId; id++)
        {
            var t = btf[id];
            if (t.Kind == BtfKind.Int && t.IntBits == 32)
                return id;
        }
        return 0;
    }

    private static void RewriteKsymsDatasec(Btf btf, int sec, List<ExternDesc> externs, int dummyVar, string objName)
    {
        int intId = FindIntBtfId(btf);
        var vars = btf[sec].DatasecVars.ToArray();
        uint off = 0;
        for (int i = 0; i < vars.Length; i++, off += 4)
        {
            var vt = btf[vars[i].Type];
            string name = vt.Name;
            if (!externs.Any(e => e.Name == name))
                throw LibbpfError.ForObject(objName, $"failed to find extern definition for BTF {CoreNames.KindString(vt)} '{name}'", Errno.ESRCH);
            int slotType = vars[i].Type;
            if (vt.Kind == BtfKind.Func)
            {
                // The kernel wants named parameters and no extern linkage.
                var proto = btf[vt.Type];
                for (int j = 0; j < proto.Vlen; j++)
                {
                    var p = proto.Params[j];
                    if (p.Type != 0 && p.NameOffset == 0)
                        btf.SetParamName(vt.Type, j, "dummy_ksym");
                }
                btf.SetFuncLinkage(vt.Id, BtfFuncLinkage.Global);
                slotType = dummyVar;
            }
            else
            {
                btf.SetVarLinkage(vt.Id, BtfVarLinkage.GlobalAllocated);
                btf.SetType(vt.Id, intId);
            }
            btf.SetDatasecVar(sec, i, new BtfVarSecInfo(slotType, off, 4));
        }
        btf.SetSize(sec, off);
    }

    private static void LayOutKconfig(Btf btf, int sec, List<ExternDesc> externs, string objName)
    {
        int off = 0;
        for (int i = 0; i < externs.Count; i++)
        {
            var ext = externs[i];
            if (ext.Kind != ExternKind.Kconfig)
                continue;
            ext.KconfigOffset = (off + ext.KconfigAlign - 1) / ext.KconfigAlign * ext.KconfigAlign;
            off = ext.KconfigOffset + ext.KconfigSize;
            if (off > MaxKconfigSize)
                throw LibbpfError.ForObject(objName, $"externs (kcfg) need {off} bytes, at most {MaxKconfigSize}", Errno.E2BIG);
            LibbpfLog.Debug($"extern (kcfg) #{i}: symbol {ext.SymbolIndex}, off {ext.KconfigOffset}, name {ext.Name}");
        }
        btf.SetSize(sec, (uint)off);
        var vars = btf[sec].DatasecVars.ToArray();
        for (int i = 0; i < vars.Length; i++)
        {
            var vt = btf[vars[i].Type];
            var ext = externs.FirstOrDefault(e => e.Name == vt.Name)
                ?? throw LibbpfError.ForObject(objName, $"failed to find extern definition for BTF var '{vt.Name}'", Errno.ESRCH);
            btf.SetVarLinkage(vt.Id, BtfVarLinkage.GlobalAllocated);
            btf.SetDatasecVar(sec, i, vars[i] with { Offset = (uint)ext.KconfigOffset });
        }
        // The kernel checks that DATASEC entries are in offset order; the layout above may reorder them.
        btf.SortDatasecVars(sec);
    }

    /// <summary>libbpf's <c>find_kcfg_type</c>.</summary>
    internal static KconfigType KconfigTypeOf(Btf btf, int id, out bool signed)
    {
        signed = false;
        CoreNames.Skip(btf, id, out _, out var t);
        switch (t.Kind)
        {
            case BtfKind.Int:
                var enc = t.IntEncoding;
                if ((enc & BtfIntEncoding.Bool) != 0)
                    return t.Size == 1 ? KconfigType.Bool : KconfigType.Unknown;
                signed = (enc & BtfIntEncoding.Signed) != 0;
                if (t.Size == 1)
                    return KconfigType.Char;
                if (t.Size < 1 || t.Size > 8 || (t.Size & (t.Size - 1)) != 0)
                    return KconfigType.Unknown;
                return KconfigType.Int;
            case BtfKind.Enum:
                return t.Size == 4 && t.Name == "libbpf_tristate" ? KconfigType.Tristate : KconfigType.Unknown;
            case BtfKind.Enum64:
                return t.Name == "libbpf_tristate" ? KconfigType.Tristate : KconfigType.Unknown;
            case BtfKind.Array:
                if (t.Array.NElems == 0)
                    return KconfigType.Unknown;
                return KconfigTypeOf(btf, t.Array.ElemType, out _) == KconfigType.Char ? KconfigType.CharArray : KconfigType.Unknown;
            default:
                return KconfigType.Unknown;
        }
    }

    private const int MaxAlignDepth = 32; // libbpf's MAX_RESOLVE_DEPTH

    /// <summary>
    /// libbpf's <c>btf__align_of</c> for the types a Kconfig extern can have. An array or member chain deeper than
    /// <see cref="MaxAlignDepth"/> (crafted BTF: an array of itself) is -ELOOP, not a stack overflow (fuzz finding,
    /// seed 18 case 225650).
    /// </summary>
    internal static int AlignOf(Btf btf, int id, int depth = 0)
    {
        if (depth > MaxAlignDepth)
            return -Errno.ELOOP;
        CoreNames.Skip(btf, id, out id, out var t);
        switch (t.Kind)
        {
            case BtfKind.Int or BtfKind.Enum or BtfKind.Enum64 or BtfKind.Float:
                return (int)Math.Min(t.Size, (uint)btf.PointerSize);
            case BtfKind.Ptr:
                return btf.PointerSize;
            case BtfKind.Array:
                return AlignOf(btf, t.Array.ElemType, depth + 1);
            case BtfKind.Struct or BtfKind.Union:
            {
                int max = 1;
                foreach (var m in t.Members)
                {
                    int a = AlignOf(btf, m.Type, depth + 1);
                    if (a <= 0)
                        return a;
                    max = Math.Max(max, a);
                }
                return max;
            }
            default:
                return -Errno.EINVAL;
        }
    }}
