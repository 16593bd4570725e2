using BpfLoader.Btf;
using BpfLoader.Btf.Dedup;
using BpfLoader.Diagnostics;
using BpfLoader.Elf;

namespace BpfLoader.Linker;

/// <summary>
/// Step 3 of adding an input: its symbols, in table order. Locals are always added; a global or weak symbol is
/// resolved against the globals seen so far: strong beats weak, a definition beats an extern, two strong
/// definitions conflict, and the BTF types (or map definitions) of both sides must be compatible.
/// </summary>
internal static class SymbolResolver
{
    private const ushort ShnLoReserve = 0xff00;

    public static void Append(LinkState state, LinkerInput input)
    {
        var symbols = input.Elf.Symbols;
        for (int i = 1; i < symbols.Count; i++)
            AppendOne(state, input, symbols[i]);
    }

    private static void AppendOne(LinkState state, LinkerInput input, ElfSymbol sym)
    {
        string path = input.Path;
        bool isExtern = sym.SectionIndex == ElfConstants.ShnUndef;
        InputSection? srcSec = null;
        OutputSection? dstSec = null;
        if (isExtern)
        {
            if (input.Btf is null)
                throw BpfLinkException.Warn("externs without BTF info are not supported", Errno.EOPNOTSUPP, path, sym.Name);
        }
        else if (sym.SectionIndex < ShnLoReserve)
        {
            srcSec = input.Sections[sym.SectionIndex];
            if (srcSec.Skipped)
                return;
            dstSec = srcSec.Destination!;
            if (sym.Type == ElfConstants.SttSection && dstSec.SectionSymbol != 0)
            {
                input.SymbolMap[sym.Index] = dstSec.SectionSymbol;
                return;
            }
        }

        int btfId = 0;
        // Symbols in .jumptables (LLVM's indirect-jump tables) are never resolved as globals, always added.
        if (!sym.IsLocal && srcSec?.Name != ".jumptables")
        {
            int btfSecId;
            (btfSecId, btfId) = FindGlobalBtf(input, sym.Name);
            if (isExtern && btfSecId != 0)
            {
                string secName = input.Btf!.Name(btfSecId);
                if (secName != ".extern")
                {
                    srcSec = input.FindSection(secName)
                        ?? throw BpfLinkException.Warn($"failed to find matching ELF sec '{secName}'", Errno.ENOENT, path, sym.Name);
                    dstSec = srcSec.Destination;
                }
            }
            var glob = state.FindGlobal(sym.Name);
            if (glob is not null)
            {
                Resolve(state, input, sym, glob, btfId, srcSec, dstSec);
                return;
            }
        }

        uint nameOff = state.Strtab.Add(sym.Name);
        var dst = new OutputSymbol
        {
            NameOffset = nameOff,
            Info = (byte)((sym.Bind << 4) | sym.Type),
            Other = sym.Visibility,
            SectionIndex = dstSec is not null ? (ushort)dstSec.ElfIndex : sym.SectionIndex,
            Value = (ulong)(srcSec?.DestinationOffset ?? 0) + sym.Value,
            Size = sym.Size,
        };
        int dstIndex = state.Symbols.Count;
        state.Symbols.Add(dst);
        input.SymbolMap[sym.Index] = dstIndex;
        if (sym.Type == ElfConstants.SttSection && dstSec is not null)
        {
            dstSec.SectionSymbol = dstIndex;
            dst.Value = 0;
        }
        if (!sym.IsLocal)
        {
            state.Globals.Add(new GlobalSymbol(sym.Name, dstIndex)
            {
                SectionId = dstSec?.Id ?? 0,
                IsExtern = isExtern,
                IsWeak = sym.IsWeak,
            });
        }
    }

    private static void Resolve(LinkState state, LinkerInput input, ElfSymbol sym, GlobalSymbol glob, int btfId,
        InputSection? srcSec, OutputSection? dstSec)
    {
        string path = input.Path;
        bool isExtern = sym.IsUndefined;
        input.SymbolMap[sym.Index] = glob.SymbolIndex;
        if (!isExtern && !glob.IsExtern && !glob.IsWeak && !sym.IsWeak)
            throw BpfLinkException.Warn($"conflicting non-weak symbol #{sym.Index} ({sym.Name}) definition in '{path}'", Errno.EINVAL, path, sym.Name);
        if (TypesMatch(state, input, glob, btfId, sym.Name) is { } mismatch)
            throw new BpfLinkException(mismatch, -Errno.EINVAL, path, sym.Name);

        var dst = state.Symbols[glob.SymbolIndex];
        if (sym.IsGlobal)
        {
            dst.Info = (byte)((ElfConstants.StbGlobal << 4) | dst.Type);
            glob.IsWeak = false;
        }
        if (sym.Visibility > dst.Visibility)
            dst.Other = (byte)((dst.Other & ~3) | sym.Visibility);
        if (isExtern)
            return;
        if (!glob.IsExtern && sym.IsWeak)
            return;

        // The new definition wins: the symbol moves to it, and its BTF VAR/FUNC is completed and re-pointed.
        dst.Info = (byte)((dst.Bind << 4) | sym.Type);
        dst.SectionIndex = (ushort)dstSec!.ElfIndex;
        dst.Value = (ulong)srcSec!.DestinationOffset + sym.Value;
        dst.Size = sym.Size;
        glob.SectionId = dstSec.Id;
        glob.IsExtern = false;
        CompleteExternBtf(state.Btf, glob.BtfId, input.Btf!, btfId);
        glob.UnderlyingBtfId = 0;
    }

    // libbpf's glob_syms_match: preconditions, then map definitions for .maps globals, else the BTF types.
    private static string? TypesMatch(LinkState state, LinkerInput input, GlobalSymbol glob, int btfId, string name)
    {
        if (glob.BtfId == 0 || btfId == 0)
            return Warn($"BTF info is missing for global symbol '{name}'");
        var kind = input.Btf!.Kind(btfId);
        if (kind is not (BtfKind.Var or BtfKind.Func))
            return Warn($"only extern variables and functions are supported, but got '{GlobalTypeMatcher.KindName(kind)}' for '{name}'");
        if (glob.SectionId != 0 && state.Section(glob.SectionId).Name == ".maps")
            return MapDefinitionMatcher.Compare(name, state.Btf, glob.BtfId, input.Btf, btfId);
        return GlobalTypeMatcher.Compare(name, true, state.Btf, glob.BtfId, input.Btf, btfId);
    }

    // An extern's VAR becomes allocated, its FUNC global, and the FUNC_PROTO gets the definition's parameter
    // names, so that dedup can merge the two prototypes.
    private static void CompleteExternBtf(BtfTypeTable dst, int dstId, BtfTypeTable src, int srcId)
    {
        var d = dst.Record(dstId);
        if (dst.Kind(dstId) == BtfKind.Var)
        {
            d[3] = (uint)BtfVarLinkage.GlobalAllocated;
            return;
        }
        d[1] = BtfTypeTable.MakeInfo(BtfKind.Func, (int)BtfFuncLinkage.Global);
        var srcProto = src.Record((int)src.SizeOrType(srcId));
        var dstProto = dst.Record((int)d[2]);
        for (int w = 3; w < dstProto.Length && w < srcProto.Length; w += 2)
        {
            if (srcProto[w] != 0)
                dstProto[w] = dst.Strings.Add(src.Strings.GetBytes(srcProto[w]));
        }
    }

    /// <summary>
    /// libbpf's find_glob_sym_btf: the DATASEC member with this name (returned at once, with its DATASEC) or
    /// else the last free-floating non-static VAR/FUNC of that name.
    /// </summary>
    private static (int DatasecId, int TypeId) FindGlobalBtf(LinkerInput input, string name)
    {
        var btf = input.Btf ?? throw BpfLinkException.Warn($"failed to find BTF info for object '{input.Path}'", Errno.EINVAL, input.Path, name);
        int found = 0;
        for (int id = 1; id < btf.TypeCount; id++)
        {
            if (IsNonStatic(btf, id))
            {
                if (btf.Name(id) == name)
                    found = id;
                continue;
            }
            if (btf.Kind(id) != BtfKind.Datasec)
                continue;
            var rec = btf.Record(id);
            for (int w = 3; w < rec.Length; w += 3)
            {
                int vt = (int)rec[w];
                if (btf.Name(vt) != name || (btf.Kind(vt) is BtfKind.Var or BtfKind.Func && !IsNonStatic(btf, vt)))
                    continue;   // another name, or a static VAR/FUNC
                if (found != 0 && found != vt)
                    throw BpfLinkException.Warn($"global/extern '{name}' BTF is ambiguous: both types #{found} and #{vt} match", Errno.EINVAL, input.Path, name);
                return (id, vt);
            }
        }
        if (found != 0)
            return (0, found);
        throw BpfLinkException.Warn($"failed to find BTF info for global/extern symbol '{name}'", Errno.ENOENT, input.Path, name);
    }

    public static bool IsNonStatic(BtfTypeTable btf, int id) => btf.Kind(id) switch
    {
        BtfKind.Var => btf.Record(id)[3] != (uint)BtfVarLinkage.Static,
        BtfKind.Func => btf.Vlen(id) != (int)BtfFuncLinkage.Static,
        _ => false,
    };

    private static string Warn(string text)
    {
        LibbpfLog.Warn(text);
        return text;
    }
}
