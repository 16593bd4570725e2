using BpfLoader.Diagnostics;
using BpfLoader.Elf;
using BpfLoader.Kernel;

namespace BpfLoader.Objects;

using BtfKind = BpfLoader.Btf.BtfKind;
using BtfVarLinkage = BpfLoader.Btf.BtfVarLinkage;

/// <summary>
/// The object's BTF on its way to the kernel: clang leaves DATASEC sizes (and sometimes variable offsets) to
/// the loader, so they are filled in from the ELF sections and symbols; then the BTF is loaded. A load
/// failure is fatal only for objects that need BTF (struct_ops), as in libbpf.
/// </summary>
internal static class ObjectBtf
{

    public static void FixupAndLoad(BpfObject obj)
    {
        var btf = obj.Btf;
        if (btf is null)
            return;
        FixupDatasecs(obj);
        MarkHiddenSubprogramsStatic(obj);
        obj.MissingBtfFeatures = obj.Options.AssumeMissingBtfFeatures ?? BtfSanitizer.MissingFeatures();
        var bytes = BtfSanitizer.Sanitize(btf, obj.MissingBtfFeatures).ToBytes();
        int fd = BpfSyscall.TryBtfLoad(bytes, [], 0);
        if (fd >= 0)
        {
            obj.BtfFd = new FileDescriptor(fd);
            return;
        }
        var log = new byte[16 * 1024 * 1024];
        int again = BpfSyscall.TryBtfLoad(bytes, log, 1);
        if (again >= 0)
        {
            obj.BtfFd = new FileDescriptor(again); // succeeded with a log: a transient failure
            return;
        }
        LibbpfLog.Warn($"BTF loading error: {Errno.Str(fd)}");
        var text = System.Text.Encoding.UTF8.GetString(log, 0, Math.Max(0, Array.IndexOf(log, (byte)0)));
        if (text.Length > 0)
            LibbpfLog.Warn($"-- BEGIN BTF LOAD LOG ---\n{text}\n-- END BTF LOAD LOG --");
        if (obj.Maps.Any(m => m.Type == BpfMapType.StructOps))
        {
            throw LibbpfError.ForObject(obj.Name, $"Error loading .BTF into kernel: {Errno.Str(fd)}. BTF is mandatory, can't proceed.", -fd);
        }
        LibbpfLog.Info($"Error loading .BTF into kernel: {Errno.Str(fd)}. BTF is optional, ignoring.");
    }

    /// <summary>
    /// A hidden global subprogram (e.g. a library function declared <c>__hidden</c> on either side of a static
    /// link) is verified as static, with its caller's context: libbpf flips its BTF FUNC to static linkage.
    /// </summary>
    private static void MarkHiddenSubprogramsStatic(BpfObject obj)
    {
        var btf = obj.Btf!;
        var elf = obj.Elf;
        foreach (var sym in elf.Symbols)
        {
            if (sym.Type != ElfConstants.SttFunc || sym.IsLocal || sym.Visibility != ElfConstants.StvHidden
                || sym.SectionIndex >= elf.Sections.Count || elf.Sections[sym.SectionIndex].Name != ".text")
                continue;
            for (int id = btf.StartId; id <= btf.LastId; id++)
            {
                var t = btf[id];
                if (t.Kind == BtfKind.Func && t.FuncLinkage == BpfLoader.Btf.BtfFuncLinkage.Global && t.Name == sym.Name)
                {
                    btf.SetFuncLinkage(id, BpfLoader.Btf.BtfFuncLinkage.Static);
                    break;
                }
            }
        }
    }

    /// <summary>libbpf's <c>btf_fixup_datasec</c>: DATASEC size from the ELF section, VAR offsets from the symbols.</summary>
    private static void FixupDatasecs(BpfObject obj)
    {
        var btf = obj.Btf!;
        var elf = obj.Elf;
        for (int id = btf.StartId; id <= btf.LastId; id++)
        {
            var t = btf[id];
            if (t.Kind != BtfKind.Datasec)
                continue;
            string secName = t.Name;
            var sec = elf.FindSection(secName);
            if (t.Size == 0)
            {
                if (sec is null)
                {
                    throw LibbpfError.Log($"sec '{secName}': failed to determine size from ELF: size 0, err {Errno.Str(Errno.ENOENT)}", new BpfException($"object '{obj.Name}': sec '{secName}': failed to determine size from ELF", Errno.ENOENT));
                }
                btf.SetSize(id, (uint)sec.Size);
            }
            if (sec is null)
                continue;
            int index = 0;
            foreach (var vsi in btf[id].DatasecVars)
            {
                var variable = btf[vsi.Type];
                if (variable.Kind != BtfKind.Var)
                {
                    index++;
                    continue;
                }
                if (variable.VarLinkage is BtfVarLinkage.Static or BtfVarLinkage.GlobalExtern)
                {
                    index++;
                    continue;
                }
                var sym = elf.Symbols.FirstOrDefault(s => s.Name == variable.Name && s.SectionIndex == sec.Index && s.Type == ElfConstants.SttObject);
                if (sym is null)
                {
                    throw LibbpfError.ForObject(obj.Name, $"sec '{secName}': failed to find ELF symbol for VAR '{variable.Name}'", Errno.ENOENT, LogLevel.Debug);
                }
                if (vsi.Offset != (uint)sym.Value)
                    btf.SetDatasecVar(id, index, vsi with { Offset = (uint)sym.Value });
                if (sym.Visibility == ElfConstants.StvHidden)
                    btf.SetVarLinkage(vsi.Type, BtfVarLinkage.Static);
                index++;
            }
        }
    }
}
