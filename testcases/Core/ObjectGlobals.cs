using System.Runtime.InteropServices;
using BpfLoader.Btf;
using BpfLoader.Objects;

namespace BpfTests.Core;

/// <summary>Reads and writes a program's global variables by name, through the object's BTF DATASEC layout.</summary>
internal static class ObjectGlobals
{
    public static Span<byte> Bytes(BpfObject obj, string variable)
    {
        var btf = obj.Btf!;
        foreach (var section in new[] { ".bss", ".data", ".rodata" })
        {
            int datasec = btf.FindByName(section, BtfKind.Datasec);
            if (datasec <= 0 || obj.FindMap(section) is not { } map)
                continue;
            foreach (var v in btf[datasec].DatasecVars)
            {
                if (btf[v.Type].Name == variable)
                    return map.Data.Slice((int)v.Offset, (int)v.Size);
            }
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
