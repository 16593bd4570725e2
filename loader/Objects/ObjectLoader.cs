using BpfLoader.Core;
using BpfLoader.Diagnostics;
using BpfLoader.Externs;
using BpfLoader.Interop;
using BpfLoader.Kernel;
using BpfLoader.Maps;
using BpfLoader.Programs;
using BpfLoader.StructOps;

namespace BpfLoader.Objects;

/// <summary>
/// libbpf's load pipeline. Prepare: relocate (subprograms, maps, global data) → fix up, sanitize and load the
/// object BTF (after relocation, so later BTF rewrites reach the kernel) → create maps. Load: load the
/// programs. Relocations embed each map's placeholder fd, which map creation turns into the real map.
/// Any failure unloads everything the object created and leaves it in the LOADED state, as libbpf does.
/// </summary>
internal static class ObjectLoader
{

    public static void Prepare(BpfObject obj)
    {
        try
        {
            ExternResolver.Resolve(obj.Externs, obj.Btf, obj.Options.Kconfig, obj.Options.KconfigPath, obj.Name);
            if (obj.Btf is not null)
                StructOpsInit.InitKernelMaps(obj.Btf, obj.Maps, obj.Programs);
            StructOpsInit.SyncAutoload(obj.Maps, obj.Programs);
            obj.AppliedCoreRelos = CoreRelocator.Apply(obj.Name, obj.Btf, obj.BtfExt, obj.Elf,
                obj.Programs.Concat(obj.Subprograms).ToList(), obj.Options.BtfCustomPath);
            var linked = new Dictionary<BpfProgram, LinkedProgram>();
            foreach (var prog in obj.Programs.Where(p => p.AutoLoad))
                linked[prog] = ProgramLinker.Link(obj, prog);
            obj.Linked = ArgCtx.ArgCtxFallback.Apply(obj.Btf, obj.BtfExt, obj.Options.ArgCtxFallback, linked);
            ObjectBtf.FixupAndLoad(obj);
            foreach (var map in obj.Maps.Where(m => m.AutoCreate))
                CreateMap(obj, map);
            foreach (var map in obj.Maps.Where(m => m.AutoCreate && m.InnerMap is not null))
                FillMapSlots(map);
            obj.State = ObjectState.Prepared;
        }
        catch
        {
            MapPinning.UnpinAfterFailure(obj);
            obj.Unload();
            obj.State = ObjectState.Loaded;
            throw;
        }
    }

    public static void LoadPrograms(BpfObject obj)
    {
        try
        {
            var linked = obj.Linked ?? [];
            foreach (var prog in obj.Programs)
            {
                if (!prog.AutoLoad)
                {
                    LibbpfLog.Debug($"prog '{prog.Name}': skipped loading");
                    continue;
                }
                LoadProgram(obj, prog, linked[prog]);
            }
            foreach (var map in obj.Maps.Where(m => m.AutoCreate && m.Type == BpfMapType.ProgArray))
                FillMapSlots(map);
            foreach (var map in obj.Maps.Where(m => m.AutoCreate && m.StructOps?.Kernel is not null))
                map.StructOps!.Kernel!.WriteProgramFds();
            obj.State = ObjectState.Loaded;
        }
        catch
        {
            MapPinning.UnpinAfterFailure(obj);
            obj.Unload();
            obj.State = ObjectState.Loaded;
            LibbpfLog.Warn($"failed to load object '{obj.Path}'");
            throw;
        }
        finally
        {
            obj.Linked = null;
        }
    }

    private static void LoadProgram(BpfObject obj, BpfProgram prog, LinkedProgram linked)
    {
        try
        {
            if (prog.Type == BpfProgType.Unspec)
            {
                throw LibbpfError.Log($"prog '{prog.Name}': missing BPF prog type, check ELF section name '{prog.SectionName}'", Errno.EINVAL);
            }
            if (prog.Type == BpfProgType.StructOps && prog.AttachBtfId == 0)
            {
                throw LibbpfError.Log($"prog '{prog.Name}': SEC(\"struct_ops\") program isn't referenced anywhere, did you forget to use it?", Errno.EINVAL);
            }
            PrepareLoadAttributes(prog);
            prog.LoadedInstructions = linked.Instructions;
            // A kernel without BTF functions cannot take func_info/line_info (libbpf's FEAT_BTF_FUNC check).
            if (obj.MissingBtfFeatures.Contains(BtfFeature.Func))
                linked = linked with { FuncInfo = null, FuncInfoCount = 0, LineInfo = null, LineInfoCount = 0 };
            var fd = ProgramLoad.Load(prog, new ProgramLoadInput
            {
                Instructions = linked.Instructions,
                License = obj.License,
                KernVersion = obj.KernVersion,
                BtfFd = obj.BtfFd?.Value ?? -1,
                FuncInfo = linked.FuncInfo,
                FuncInfoCount = linked.FuncInfoCount,
                FuncInfoRecordSize = linked.FuncInfoRecordSize,
                LineInfo = linked.LineInfo,
                LineInfoCount = linked.LineInfoCount,
                LineInfoRecordSize = linked.LineInfoRecordSize,
                FdArray = obj.Externs.FdArrayForLoad(),
                FixupLog = log => VerifierLogFixup.Apply(log, new VerifierLogFixup.Inputs(obj.Btf, obj.AppliedCoreRelos, linked.Placement,
                    MapName: index => (uint)index < (uint)obj.Maps.Count ? obj.Maps[index].Name : null, ExternName: obj.Externs.NameAt)),
            });
            prog.SetFd(fd);
            BindReadOnlyData(obj, prog);
        }
        catch (BpfException e)
        {
            LibbpfLog.Warn($"prog '{prog.Name}': failed to load: {Errno.Str(e.Error)}");
            throw;
        }
    }

    /// <summary>libbpf's per-program load preparation (attach target); a refusal adds its "failed to prepare" line.</summary>
    private static void PrepareLoadAttributes(BpfProgram prog)
    {
        try
        {
            AttachTargets.Resolve(prog);
        }
        catch (BpfException e)
        {
            LibbpfLog.Warn($"prog '{prog.Name}': failed to prepare load attributes: {Errno.Str(e.Error)}");
            throw;
        }
    }

    /// <summary>Binds .rodata maps to each program (libbpf does, so frozen data lives as long as the program).</summary>
    private static void BindReadOnlyData(BpfObject obj, BpfProgram prog)
    {
        foreach (var map in obj.Maps.Where(m => m.IsReadOnlyData && m.IsCreated))
        {
            int r = BpfSyscall.TryProgBindMap(prog.Fd, map.Fd);
            if (r < 0 && r != -Errno.EINVAL)
                LibbpfLog.Warn($"prog '{prog.Name}': failed to bind map '{map.Name}': {Errno.Str(r)}");
        }
    }

    private static void CreateMap(BpfObject obj, BpfMap map)
    {
        MapDefaults.Apply(map);
        if (map.Pinning == PinningType.ByName && MapPinning.TryReuse(obj, map))
            return;
        int innerFd = -1;
        try
        {
            if (map.InnerMap is not null)
                innerFd = MapCreator.CreateKernelMap(map.InnerMap, obj.BtfFd?.Value ?? -1);
            int fd = MapCreator.CreateKernelMap(map, obj.BtfFd?.Value ?? -1, innerFd);
            MapCreator.MoveOntoPlaceholder(fd, map.Fd, $"map '{map.Name}'");
        }
        finally
        {
            if (innerFd >= 0)
                Native.Close(innerFd);
        }
        map.MarkCreated();
        LibbpfLog.Debug($"map '{map.Name}': created successfully, fd={map.Fd}");
        if (map.IsInternal)
            PopulateGlobalData(map);
        if (map.Pinning == PinningType.ByName)
            MapPinning.Pin(obj, map);
    }

    /// <summary>Writes the initial image, freezes .rodata, and maps the contents for user space.</summary>
    private static void PopulateGlobalData(BpfMap map)
    {
        // The kernel reads value_size bytes from the image: a shorter one would be read past its end.
        if (map.InitialDataMaterialized && map.InitialData!.Length != map.ValueSize)
        {
            throw LibbpfError.Log($"map '{map.Name}': initial contents have {map.InitialData.Length} bytes, the map's value has {map.ValueSize}", Errno.EINVAL);
        }
        // An untouched zero image needs no update: a new array map is zero-filled.
        int r = map.InitialDataMaterialized ? BpfSyscall.TryMapUpdate(map.Fd, stackalloc byte[4], map.InitialData) : 0;
        if (r < 0)
        {
            throw LibbpfError.Syscall($"map '{map.Name}': failed to set initial contents: {Errno.Str(r)}", $"map '{map.Name}': set initial contents", -r);
        }
        if (map.IsReadOnlyData)
        {
            r = BpfSyscall.TryMapFreeze(map.Fd);
            if (r < 0)
            {
                throw LibbpfError.Syscall($"map '{map.Name}': failed to freeze as read-only: {Errno.Str(r)}", $"map '{map.Name}': freeze", -r);
            }
        }
        if ((map.Flags & BpfFlags.Mmapable) != 0)
            map.AttachMapping(MappedRegion.Map(map.Fd, (int)map.ValueSize, writable: !map.IsReadOnlyData, map.Name));
    }

    /// <summary>Stores inner maps into map-in-map slots and programs into program arrays, as declared in .maps.</summary>
    private static void FillMapSlots(BpfMap outer)
    {
        foreach (var (slot, target) in outer.InitialSlots)
        {
            int fd = target switch
            {
                BpfMap m => m.Fd,
                BpfProgram p => p.Fd,
                _ => -1,
            };
            string targetName = target is BpfMap tm ? tm.Name : ((BpfProgram)target).Name;
            if (fd < 0 || target is BpfMap { IsCreated: false } || target is BpfProgram { IsLoaded: false })
                continue;
            int r = BpfSyscall.TryMapUpdate(outer.Fd, BitConverter.GetBytes(slot), BitConverter.GetBytes(fd));
            if (r < 0)
            {
                throw LibbpfError.Syscall($"map '{outer.Name}': failed to initialize slot [{slot}] to '{targetName}': {Errno.Str(r)}", $"map '{outer.Name}': slot [{slot}]", -r);
            }
            LibbpfLog.Debug($"map '{outer.Name}': slot [{slot}] set to '{targetName}' fd={fd}");
        }
    }
}
