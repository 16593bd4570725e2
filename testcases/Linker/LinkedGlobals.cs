using System.Buffers.Binary;
using BpfLoader.Elf;
using BpfLoader.Links;
using BpfLoader.Objects;

namespace BpfTests.Linker;

/// <summary>
/// Global variables of a linked object by name, through the internal map of their section: the offset comes
/// from the ELF symbol (what the linker resolved), so the tests check the linker's symbol resolution itself.
/// </summary>
internal sealed class LinkedGlobals(BpfObject obj, string path)
{
    private readonly ElfFile _elf = ElfFile.Open(path);

    public Span<byte> Bytes(string name)
    {
        var sym = _elf.Symbols.Single(s => s.Name == name && !s.IsUndefined && s.Type == ElfConstants.SttObject);
        var map = obj.Map(_elf.Sections[sym.SectionIndex].Name);
        return map.Data.Slice((int)sym.Value, (int)sym.Size);
    }

    public int Int(string name) => BinaryPrimitives.ReadInt32LittleEndian(Bytes(name));

    public long Long(string name) => BinaryPrimitives.ReadInt64LittleEndian(Bytes(name));

    public void SetInt(string name, int value) => BinaryPrimitives.WriteInt32LittleEndian(Bytes(name), value);

    public void SetLong(string name, long value) => BinaryPrimitives.WriteInt64LittleEndian(Bytes(name), value);

    /// <summary>Attaches every program and triggers sys_enter/sys_exit with a few getpgid calls.</summary>
    public static void AttachAndTrigger(BpfObject obj)
    {
        var links = new List<BpfLink>();
        try
        {
            foreach (var p in obj.Programs)
                links.Add(p.Attach());
            for (int i = 0; i < 3; i++)
                _ = BpfLoader.Interop.Native.GetPgid(0);
        }
        finally
        {
            foreach (var l in links)
                l.Dispose();
        }
    }
}
