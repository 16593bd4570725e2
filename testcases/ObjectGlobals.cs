using System.Runtime.InteropServices;
using BpfLoader.Objects;

namespace BpfTests;

/// <summary>Reads and writes a program's global variables by name, through the object's BTF DATASEC layout.</summary>
internal static class ObjectGlobals
{
    // The ELF symbol gives the offset: clang leaves DATASEC offsets at 0 until the loader fixes them up at prepare.
    public static Span<byte> Bytes(BpfObject obj, string variable)
    {
        foreach (var sym in obj.Elf.Symbols)
        {
            if (sym.Name != variable || sym.SectionIndex <= 0 || sym.SectionIndex >= obj.Elf.Sections.Count)
                continue;
            var map = obj.FindMap(obj.Elf.Sections[sym.SectionIndex].Name);
            if (map is { IsInternal: true })
                return map.Data.Slice((int)sym.Value, (int)sym.Size);
        }
        throw new InvalidOperationException($"no global variable '{variable}' in {obj.Name}");
    }

    public static T Get<T>(BpfObject obj, string variable) where T : unmanaged => MemoryMarshal.Read<T>(Bytes(obj, variable));

    public static void Set<T>(BpfObject obj, string variable, T value) where T : unmanaged => MemoryMarshal.Write(Bytes(obj, variable), in value);

    public static string GetString(BpfObject obj, string variable)
    {
        var bytes = Bytes(obj, variable);
        int nul = bytes.IndexOf((byte)0);
        return System.Text.Encoding.UTF8.GetString(nul < 0 ? bytes : bytes[..nul]);
    }
}
