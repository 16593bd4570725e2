using BpfLoader.Btf;
using BpfLoader.Diagnostics;
using BpfLoader.Interop;

namespace BpfLoader.Kernel;

using Btf = BpfLoader.Btf.Btf;

/// <summary>BTF features a kernel may lack; each maps to one of libbpf's FEAT_BTF_* probes.</summary>
public enum BtfFeature
{
    /// <summary>BTF_KIND_FUNC and BTF_KIND_FUNC_PROTO (FEAT_BTF_FUNC).</summary>
    Func,
    /// <summary>BTF_KIND_VAR and BTF_KIND_DATASEC (FEAT_BTF_DATASEC).</summary>
    Datasec,
    /// <summary>Global (non-static) BTF functions (FEAT_BTF_GLOBAL_FUNC).</summary>
    GlobalFunc,
    /// <summary>BTF_KIND_FLOAT (FEAT_BTF_FLOAT).</summary>
    Float,
    /// <summary>BTF_KIND_DECL_TAG (FEAT_BTF_DECL_TAG).</summary>
    DeclTag,
    /// <summary>BTF_KIND_TYPE_TAG (FEAT_BTF_TYPE_TAG).</summary>
    TypeTag,
    /// <summary>BTF_KIND_ENUM64 (FEAT_BTF_ENUM64).</summary>
    Enum64,
    /// <summary>A <c>?</c> in DATASEC names, as in <c>.struct_ops.link?</c> (FEAT_BTF_QMARK_DATASEC).</summary>
    QuestionMarkDatasec,
}

/// <summary>
/// libbpf's BTF feature probes: each loads a tiny raw BTF using the feature into the kernel (a real
/// BPF_BTF_LOAD); success means supported. Results are cached for the process.
/// </summary>
public static class BtfFeatures
{
    private static readonly Dictionary<BtfFeature, Lazy<bool>> Probes = Enum.GetValues<BtfFeature>()
        .ToDictionary(f => f, f => new Lazy<bool>(() => Probe(f)));

    /// <summary>Whether the running kernel accepts BTF using <paramref name="feature"/> (probed once per process).</summary>
    public static bool Has(BtfFeature feature) => Probes[feature].Value;

    /// <summary>
    /// The sanitization decision as a pure function of what a kernel supports: every feature it lacks. With
    /// <see cref="Has"/> it is this kernel's answer; with a made-up kernel a test sees the decision on any host.
    /// </summary>
    public static IReadOnlySet<BtfFeature> Missing(Func<BtfFeature, bool> kernelHas)
        => Enum.GetValues<BtfFeature>().Where(f => !kernelHas(f)).ToHashSet();

    /// <summary>libbpf's probe description, used in "Detection of kernel %s support failed".</summary>
    public static string Describe(BtfFeature feature) => feature switch
    {
        BtfFeature.Func => "BTF functions",
        BtfFeature.Datasec => "BTF data section and variable",
        BtfFeature.GlobalFunc => "BTF global function",
        BtfFeature.Float => "BTF_KIND_FLOAT support",
        BtfFeature.DeclTag => "BTF_KIND_DECL_TAG support",
        BtfFeature.TypeTag => "BTF_KIND_TYPE_TAG support",
        BtfFeature.Enum64 => "BTF_KIND_ENUM64 support",
        BtfFeature.QuestionMarkDatasec => "BTF DATASEC names starting from '?'",
        _ => feature.ToString(),
    };

    /// <summary>The probe's BTF blob (exposed for tests).</summary>
    public static byte[] ProbeBlob(BtfFeature feature)
    {
        var btf = Btf.CreateEmpty(null, "probe");
        int i = btf.AddInt("int", 4, BtfIntEncoding.Signed);
        switch (feature)
        {
            case BtfFeature.Func:
            case BtfFeature.GlobalFunc:
            {
                int proto = btf.AddFuncProto(i, [new BtfParamSpec("x", i)]);
                btf.AddFunc("f", proto, feature == BtfFeature.GlobalFunc ? BtfFuncLinkage.Global : BtfFuncLinkage.Static);
                break;
            }
            case BtfFeature.Datasec:
            case BtfFeature.QuestionMarkDatasec:
            {
                int v = btf.AddVar("x", i, BtfVarLinkage.Static);
                btf.AddDatasec(feature == BtfFeature.Datasec ? ".data" : "?.data", 4, [new BtfVarSecInfo(v, 0, 4)]);
                break;
            }
            case BtfFeature.Float:
                btf.AddFloat("float", 4);
                break;
            case BtfFeature.DeclTag:
            {
                int v = btf.AddVar("x", i, BtfVarLinkage.Static);
                btf.AddDeclTag("tag", v, -1);
                break;
            }
            case BtfFeature.TypeTag:
            {
                int tag = btf.AddTypeTag("tag", i);
                btf.AddPtr(tag);
                break;
            }
            case BtfFeature.Enum64:
                btf.AddEnum64("e", 8, false, [new BtfEnumSpec("v", 1L << 40)]);
                break;
        }
        return btf.ToBytes();
    }

    private static bool Probe(BtfFeature feature)
    {
        int fd = BpfSyscall.TryBtfLoad(ProbeBlob(feature), [], 0);
        if (fd >= 0)
        {
            Native.Close(fd);
            return true;
        }
        if (fd is not (-Errno.EINVAL or -Errno.E2BIG or -Errno.EPERM))
            LibbpfLog.Warn($"Detection of kernel {Describe(feature)} support failed: {Errno.Str(fd)}");
        return false;
    }
}
