using System.Buffers.Binary;
using BpfLoader.Btf.Dedup;
using BpfLoader.Elf;
using BpfLoader.Kernel;
using BpfLoader.Maps;
using BpfLoader.Objects;
using BpfLoader.Programs;

namespace BpfTests.Linker;

/// <summary>What two linked objects are compared on: ELF sections, global symbols, BTF, and the kernel's view of the loaded programs.</summary>
internal static class ObjectComparison
{
    /// <summary>"name type flags" of every section except the BTF ones (compared separately) and the symbol/string tables.</summary>
    public static List<string> Sections(string path)
        => ElfFile.Open(path).Sections.Skip(1)
            .Where(s => s.Name is not (".BTF" or ".BTF.ext" or ".strtab" or ".symtab"))
            .Select(s => $"{s.Name} type={s.Type} flags={s.Flags:x}").ToList();

    /// <summary>"name bind type section" of every non-local symbol, sorted.</summary>
    public static List<string> GlobalSymbols(string path)
    {
        var elf = ElfFile.Open(path);
        return elf.Symbols.Skip(1).Where(s => !s.IsLocal)
            .Select(s => $"{s.Name} bind={s.Bind} type={s.Type} vis={s.Visibility} sec={(s.IsUndefined ? "UND" : s.SectionIndex < elf.Sections.Count ? elf.Sections[s.SectionIndex].Name : "ABS")}")
            .Order(StringComparer.Ordinal).ToList();
    }

    public static int BtfTypeCount(string path)
    {
        var sec = ElfFile.Open(path).FindSection(".BTF")!;
        return BtfTypeTable.Parse(sec.Data.ToArray(), path).TypeCount;
    }

    /// <summary>Opens the object with every program set to autoload (linked tests use "?" sections too) and loads it.</summary>
    public static BpfObject OpenAndLoad(string path)
    {
        var obj = BpfObject.Open(path);
        try
        {
            foreach (var p in obj.Programs)
                p.AutoLoad = true;
            obj.Load();
            return obj;
        }
        catch
        {
            obj.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The kernel's translated instructions of a loaded program as text, one per instruction, with map
    /// references (kernel map ids) replaced by the map's name so two loads of equivalent objects compare equal.
    /// </summary>
    public static unsafe List<string> Xlated(BpfObject obj, BpfProgram prog)
    {
        var mapNames = obj.Maps.Where(m => m.IsCreated).ToDictionary(m => MapInfo.Read(m.Fd)!.Id, m => m.Name);
        var info = new byte[40];
        if (BpfSyscall.TryGetInfoByFd(prog.Fd, info) < 0)
            throw new InvalidOperationException($"BPF_OBJ_GET_INFO_BY_FD failed for {prog}");
        uint len = BinaryPrimitives.ReadUInt32LittleEndian(info.AsSpan(20));
        var insns = new byte[len];
        Array.Clear(info);
        fixed (byte* p = insns)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(info.AsSpan(20), len);
            BinaryPrimitives.WriteUInt64LittleEndian(info.AsSpan(32), (ulong)p);
            if (BpfSyscall.TryGetInfoByFd(prog.Fd, info) < 0)
                throw new InvalidOperationException($"BPF_OBJ_GET_INFO_BY_FD (xlated) failed for {prog}");
        }
        var result = new List<string>();
        for (int i = 0; i < insns.Length; i += 8)
        {
            byte code = insns[i], regs = insns[i + 1];
            int imm = BinaryPrimitives.ReadInt32LittleEndian(insns.AsSpan(i + 4));
            int src = regs >> 4;
            if (code == 0x18 && src is 1 or 2 && mapNames.TryGetValue((uint)imm, out var name))
                result.Add($"{code:x2} {regs:x2} {BinaryPrimitives.ReadInt16LittleEndian(insns.AsSpan(i + 2))} map:{name}");
            else
                result.Add(Convert.ToHexString(insns, i, 8));
        }
        return result;
    }
}
