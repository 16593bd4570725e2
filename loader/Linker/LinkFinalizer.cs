using BpfLoader.Btf.Dedup;
using BpfLoader.Diagnostics;
using BpfLoader.Elf;

namespace BpfLoader.Linker;

/// <summary>
/// Finalizing a link: DATASECs for the merged sections, the .BTF.ext, BTF dedup (string phase skipped: the
/// linker's strings are unique already and all are kept), then the ELF image in libbpf's layout
/// (.strtab, .symtab, sections in creation order, .BTF, .BTF.ext).
/// </summary>
internal static class LinkFinalizer
{
    public static byte[] Finish(LinkState state)
    {
        var (btf, ext) = FinishBtf(state);
        var sections = new List<(int ElfIndex, ElfOutputSection Section)>
        {
            (LinkState.StrtabIndex, default!),
            (LinkState.SymtabIndex, SymbolTable(state)),
        };
        foreach (var sec in state.Sections)
        {
            if (sec.Ephemeral)
                continue;
            sections.Add((sec.ElfIndex, new ElfOutputSection(state.Strtab.Add(sec.Name), sec.Type, sec.Flags, sec.Alignment,
                sec.EntrySize, sec.Link, sec.Info, sec.Data.AsMemory(0, sec.IsNoBits ? 0 : sec.Size), (ulong)sec.Size)));
        }
        if (btf is not null)
            sections.Add((state.NextElfIndex(), DataSection(state, ".BTF", btf)));
        if (ext is not null)
            sections.Add((state.NextElfIndex(), DataSection(state, ".BTF.ext", ext)));
        var strtab = state.Strtab.Data.ToArray();
        sections[0] = (LinkState.StrtabIndex, new ElfOutputSection(state.Strtab.Add(".strtab"), ElfConstants.ShtStrtab, 0x20, 1, 0, 0, 0, strtab, (ulong)strtab.Length));
        return ElfWriter.Write(sections.OrderBy(s => s.ElfIndex).Select(s => s.Section).ToList(), LinkState.StrtabIndex);
    }

    private static ElfOutputSection DataSection(LinkState state, string name, byte[] data)
        => new(state.Strtab.Add(name), ElfConstants.ShtProgbits, 0, 8, 0, 0, 0, data, (ulong)data.Length);

    private static ElfOutputSection SymbolTable(LinkState state)
    {
        var data = new byte[state.Symbols.Count * 24];
        for (int i = 0; i < state.Symbols.Count; i++)
        {
            var sym = state.Symbols[i];
            var e = data.AsSpan(i * 24);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(e, sym.NameOffset);
            e[4] = sym.Info;
            e[5] = sym.Other;
            System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(e[6..], sym.SectionIndex);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(e[8..], sym.Value);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(e[16..], sym.Size);
        }
        return new ElfOutputSection(state.Strtab.Add(".symtab"), ElfConstants.ShtSymtab, 0, 8, 24, LinkState.StrtabIndex, 0, data, (ulong)data.Length);
    }

    private static (byte[]? Btf, byte[]? Ext) FinishBtf(LinkState state)
    {
        var btf = state.Btf;
        if (btf.TypeCount == 1)
            return (null, null);
        foreach (var sec in state.Sections)
        {
            if (!sec.HasBtf)
                continue;
            var rec = new uint[3 + 3 * sec.Vars.Count];
            rec[0] = btf.Strings.Add(sec.Name);
            rec[1] = BtfTypeTable.MakeInfo(BpfLoader.Btf.BtfKind.Datasec, sec.Vars.Count);
            rec[2] = (uint)sec.Size;
            for (int i = 0; i < sec.Vars.Count; i++)
            {
                rec[3 + 3 * i] = (uint)sec.Vars[i].Type;
                rec[4 + 3 * i] = sec.Vars[i].Offset;
                rec[5 + 3 * i] = sec.Vars[i].Size;
            }
            btf.Add(rec);
        }
        var ext = LinkedBtfExt.Build(state);
        BtfTypeTable deduped;
        try
        {
            deduped = BtfDeduplicator.Run(btf, ext, stringsDeduplicated: true);
        }
        catch (BpfException e)
        {
            throw BpfLinkException.Warn($"BTF dedup failed: {Errno.Str(e.Error)}", e.Error, null);
        }
        return (deduped.ToBytes(), ext?.ToBytes());
    }
}
