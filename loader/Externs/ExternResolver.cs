using System.Globalization;
using BpfLoader.Btf;
using BpfLoader.Core;
using BpfLoader.Diagnostics;
using BpfLoader.Kernel;

namespace BpfLoader.Externs;

using Btf = BpfLoader.Btf.Btf;

/// <summary>
/// libbpf's <c>bpf_object__resolve_externs</c> (prepare phase): Kconfig values (libbpf's virtual
/// <c>LINUX_*</c> ones, the caller's extra Kconfig text, then the system config), untyped ksyms from
/// /proc/kallsyms, typed ksyms and kfuncs through vmlinux and module BTF. A strong extern left unresolved
/// fails the load; a weak one stays zero (and a weak kfunc call is poisoned at relocation).
/// </summary>
internal static class ExternResolver
{
    /// <summary>
    /// Resolves <paramref name="externs"/> in place against the kernel, with the caller's extra Kconfig text
    /// (<paramref name="kconfig"/>) and Kconfig file (<paramref name="kconfigPath"/>, null: the system's).
    /// </summary>
    public static void Resolve(ObjectExterns externs, Btf? localBtf, string? kconfig, string? kconfigPath, string objName)
    {
        if (externs.Externs.Count == 0)
            return;
        int err = ResolveCore(externs, localBtf, kconfig, kconfigPath);
        if (err != 0)
            throw new BpfException($"object '{objName}': failed to resolve externs: {Errno.Str(err)}", err);
    }

    private static int ResolveCore(ObjectExterns externs, Btf? localBtf, string? kconfig, string? kconfigPath)
    {
        var kcfgData = externs.KconfigMap?.InitialData ?? [];
        bool needConfig = false, needKallsyms = false, needBtf = false;
        foreach (var ext in externs.Externs)
        {
            if (ext.Kind == ExternKind.Ksym)
            {
                if (ext.KsymTypeId != 0)
                    needBtf = true;
                else
                    needKallsyms = true;
                continue;
            }
            if (ext.Name.StartsWith("CONFIG_", StringComparison.Ordinal))
            {
                needConfig = true;
                continue;
            }
            ulong value;
            switch (ext.Name)
            {
                case "LINUX_KERNEL_VERSION":
                    value = KernelVersionCode();
                    if (value == 0)
                    {
                        LibbpfLog.Warn($"extern (kcfg) '{ext.Name}': failed to get kernel version");
                        return -Errno.EINVAL;
                    }
                    break;
                case "LINUX_HAS_BPF_COOKIE":
                    value = ExternFeatures.BpfCookie ? 1ul : 0ul;
                    break;
                case "LINUX_HAS_SYSCALL_WRAPPER":
                    value = ExternFeatures.SyscallWrapper ? 1ul : 0ul;
                    break;
                default:
                    if (!ext.Name.StartsWith("LINUX_", StringComparison.Ordinal) || !ext.IsWeak)
                    {
                        LibbpfLog.Warn($"extern (kcfg) '{ext.Name}': unrecognized virtual extern");
                        return -Errno.EINVAL;
                    }
                    continue;   // an unknown weak LINUX_ extern stays 0
            }
            int e = KconfigValues.SetNumber(ext, kcfgData.AsSpan(ext.KconfigOffset, ext.KconfigSize), value);
            if (e != 0)
                return e;
            LibbpfLog.Debug($"extern (kcfg) '{ext.Name}': set to 0x{value:x}");
        }

        if (needConfig && kconfig is { } extra)
        {
            if (KconfigValues.Apply(externs, extra, kcfgData, warnLine: false) != 0)
                return -Errno.EINVAL;
            needConfig = externs.Externs.Any(e => e.Kind == ExternKind.Kconfig && !e.IsSet);
        }
        if (needConfig)
        {
            var text = KconfigValues.ReadSystemConfig(kconfigPath);
            if (text is null)
            {
                LibbpfLog.Warn("failed to open system Kconfig");
                return -Errno.EINVAL;
            }
            if (KconfigValues.Apply(externs, text, kcfgData, warnLine: true) != 0)
                return -Errno.EINVAL;
        }
        if (needKallsyms && ReadKallsyms(externs, localBtf!) != 0)
            return -Errno.EINVAL;
        if (needBtf && ResolveKsymBtfIds(externs, localBtf!) != 0)
            return -Errno.EINVAL;

        foreach (var ext in externs.Externs)
        {
            if (!ext.IsSet && !ext.IsWeak)
            {
                LibbpfLog.Warn($"extern '{ext.Name}' (strong): not resolved");
                return -Errno.ESRCH;
            }
            if (!ext.IsSet)
                LibbpfLog.Debug($"extern '{ext.Name}' (weak): not resolved, defaulting to zero");
        }
        return 0;
    }

    /// <summary>KERNEL_VERSION(major, minor, patch) of the running kernel, patch capped at 255 as libbpf does.</summary>
    public static ulong KernelVersionCode()
    {
        string release = File.Exists("/proc/sys/kernel/osrelease") ? File.ReadAllText("/proc/sys/kernel/osrelease").Trim() : "";
        var parts = release.Split('.', '-', '+');
        if (parts.Length < 2 || !uint.TryParse(parts[0], CultureInfo.InvariantCulture, out uint major)
            || !uint.TryParse(parts[1], CultureInfo.InvariantCulture, out uint minor))
            return 0;
        uint patch = parts.Length > 2 && uint.TryParse(parts[2], CultureInfo.InvariantCulture, out uint p) ? p : 0;
        return (major << 16) + (minor << 8) + Math.Min(patch, 255u);
    }

    // libbpf's kallsyms_cb: untyped ksyms take their address from /proc/kallsyms (".llvm." suffixes of static data stripped).
    // Names are compared as UTF-8 bytes against the few wanted externs: no string per kallsyms line.
    private static int ReadKallsyms(ObjectExterns externs, Btf btf)
    {
        const string path = "/proc/kallsyms";
        var wanted = externs.Externs.Where(e => e.Kind == ExternKind.Ksym && btf[e.BtfId].Kind == BtfKind.Var)
            .Select(e => (Name: System.Text.Encoding.UTF8.GetBytes(e.Name), Extern: e)).ToArray();
        int err = 0;
        try
        {
            Kallsyms.Read(path, (addr, type, name) =>
            {
                if (err != 0)
                    return;
                int llvm = name.IndexOf(".llvm."u8);
                if (type == (byte)'d' && llvm >= 0)
                    name = name[..llvm];
                foreach (var (wantedName, ext) in wanted)
                {
                    if (!name.SequenceEqual(wantedName))
                        continue;
                    if (ext.IsSet && ext.Address != addr)
                    {
                        LibbpfLog.Warn($"extern (ksym) '{ext.Name}': resolution is ambiguous: 0x{ext.Address:x} or 0x{addr:x}");
                        err = -Errno.EINVAL;
                        return;
                    }
                    if (!ext.IsSet)
                    {
                        ext.IsSet = true;
                        ext.Address = addr;
                        LibbpfLog.Debug($"extern (ksym) '{ext.Name}': set to 0x{addr:x}");
                    }
                    return;
                }
            });
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LibbpfLog.Warn($"failed to open {path}: {Errno.Str(e.HResult)}");
            return -Errno.ENOENT;
        }
        return err;
    }

    private static int ResolveKsymBtfIds(ObjectExterns externs, Btf local)
    {
        foreach (var ext in externs.Externs)
        {
            if (ext.Kind != ExternKind.Ksym || ext.KsymTypeId == 0)
                continue;
            int err = ext.IsFunction ? ResolveFunc(externs, ext, local) : ResolveVar(ext, local);
            if (err != 0)
                return err;
        }
        return 0;
    }

    // libbpf's find_ksym_btf_id: vmlinux first, then each module's own types.
    private static int FindKsym(string name, BtfKind kind, out Btf btf, out ModuleBtf? module)
    {
        btf = Btf.KernelVmlinux;
        module = null;
        int id = btf.FindByName(name, kind);
        if (id > 0)
            return id;
        foreach (var m in KernelBtfs.Modules())
        {
            id = m.Btf.FindOwnByName(name, kind);
            if (id > 0)
            {
                btf = m.Btf;
                module = m;
                return id;
            }
        }
        return -Errno.ESRCH;
    }

    private static int ResolveVar(ExternDesc ext, Btf local)
    {
        int id = FindKsym(ext.EssentialName, BtfKind.Var, out var btf, out var module);
        if (id < 0)
        {
            if (ext.IsWeak)
                return 0;
            LibbpfLog.Warn($"extern (var ksym) '{ext.Name}': not found in kernel BTF");
            return id;
        }
        var targVar = btf[id];
        CoreNames.Skip(btf, targVar.Type, out int targTypeId, out var targType);
        if (CoreCompat.TypesAreCompat(local, ext.KsymTypeId, btf, targTypeId) <= 0)
        {
            var lt = local[ext.KsymTypeId];
            LibbpfLog.Warn($"extern (var ksym) '{ext.Name}': incompatible types, expected [{ext.KsymTypeId}] {CoreNames.KindString(lt)} {lt.Name}, but kernel has [{targTypeId}] {CoreNames.KindString(targType)} {targType.Name}");
            return -Errno.EINVAL;
        }
        ext.IsSet = true;
        ext.KernelBtfObjFd = module?.Fd.Value ?? 0;
        ext.KernelBtfId = id;
        LibbpfLog.Debug($"extern (var ksym) '{ext.Name}': resolved to [{id}] {CoreNames.KindString(targVar)} {targVar.Name}");
        return 0;
    }

    private static int ResolveFunc(ObjectExterns externs, ExternDesc ext, Btf local)
    {
        int id = FindKsym(ext.EssentialName, BtfKind.Func, out var btf, out var module);
        if (id < 0)
        {
            if (ext.IsWeak)
                return 0;
            LibbpfLog.Warn($"extern (func ksym) '{ext.Name}': not found in kernel or module BTFs");
            return id;
        }
        int kernProto = btf[id].Type;
        if (CoreCompat.TypesAreCompat(local, ext.KsymTypeId, btf, kernProto) <= 0)
        {
            if (ext.IsWeak)
                return 0;
            LibbpfLog.Warn($"extern (func ksym) '{ext.Name}': func_proto [{ext.KsymTypeId}] incompatible with {module?.Name ?? "vmlinux"} [{kernProto}]");
            return -Errno.EINVAL;
        }
        if (module is not null)
        {
            // insn.off of a kfunc call indexes the fd_array; index 0 cannot name a module.
            if (externs.FdArray.Count == 0)
                externs.FdArray.Add(0);
            int idx = externs.FdArray.IndexOf(module.Fd.Value, 1);
            if (idx < 0)
            {
                if (externs.FdArray.Count == short.MaxValue)
                {
                    LibbpfLog.Warn($"extern (func ksym) '{ext.Name}': module BTF fd index {externs.FdArray.Count} too big to fit in bpf_insn offset");
                    return -Errno.E2BIG;
                }
                idx = externs.FdArray.Count;
                externs.FdArray.Add(module.Fd.Value);
            }
            ext.BtfFdIndex = idx;
        }
        ext.IsSet = true;
        ext.KernelBtfId = id;
        ext.KernelBtfObjFd = module?.Fd.Value ?? 0;
        LibbpfLog.Debug($"extern (func ksym) '{ext.Name}': resolved to {module?.Name ?? "vmlinux"} [{id}]");
        return 0;
    }
}
