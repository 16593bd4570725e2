using BpfLoader.Diagnostics;
using BpfLoader.Elf;
using BpfLoader.Kernel;
using BpfLoader.Programs;

namespace BpfLoader.Objects;

using BtfKind = BpfLoader.Btf.BtfKind;
using BtfFuncLinkage = BpfLoader.Btf.BtfFuncLinkage;

/// <summary>
/// libbpf's <c>bpf_prog_assign_exc_cb</c>, run during relocation of each main program: a decl tag
/// <c>exception_callback:&lt;name&gt;</c> on the main program's FUNC names the global subprogram the verifier
/// runs when the program throws. Nothing calls it, so the linker appends it explicitly. Skipped when the object
/// has no BTF or the kernel has no DECL_TAG support.
/// </summary>
internal static class ExceptionCallback
{
    private const string Prefix = "exception_callback:";

    /// <summary>The subprogram to append to <paramref name="main"/>, or null if it names none.</summary>
    public static BpfProgram? Find(BpfObject obj, BpfProgram main)
    {
        var btf = obj.Btf;
        if (btf is null)
            return null;
        BpfProgram? callback = null;
        for (int id = 1; id <= btf.LastId; id++)
        {
            var tag = btf[id];
            if (tag.Kind != BtfKind.DeclTag || tag.DeclTagComponentIndex != -1 || !tag.Name.StartsWith(Prefix, StringComparison.Ordinal))
                continue;
            if (!BtfFeatures.Has(BtfFeature.DeclTag))
                return null;
            var fn = btf[tag.Type];
            if (fn.Kind != BtfKind.Func || fn.FuncLinkage != BtfFuncLinkage.Global)
                throw Fail(main, "exception_callback:<value> decl tag not applied to the main program", Errno.EINVAL);
            if (fn.Name != main.Name)
                continue;
            if (callback is not null)
                return null; // several callbacks for one program: the verifier rejects it, libbpf appends none
            string name = tag.Name[Prefix.Length..];
            if (name.Length == 0)
                throw Fail(main, "exception_callback:<value> decl tag contains empty value", Errno.EINVAL);
            callback = obj.Subprograms.FirstOrDefault(s => s.Name == name)
                       ?? throw Fail(main, $"cannot find exception callback '{name}'", Errno.ENOENT);
            var sym = obj.Elf.Symbols.FirstOrDefault(s => s.Name == name && s.SectionIndex == callback.SectionIndex && s.Type == ElfConstants.SttFunc);
            if (sym is null || sym.IsLocal || sym.Visibility == ElfConstants.StvHidden)
                throw Fail(main, $"exception callback {name} must be a global non-hidden function", Errno.EINVAL);
        }
        return callback;
    }

    private static BpfException Fail(BpfProgram main, string what, int errno) => LibbpfError.Log($"prog '{main.Name}': {what}", errno);
}
