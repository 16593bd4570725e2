using BpfLoader.Objects;

namespace BpfLoader.Cli;

/// <summary><c>object show FILE</c>: what the open phase found — maps and programs with their settings. Nothing is loaded.</summary>
internal static class ObjectShowCommand
{
    public static int Run(string[] rest, TextWriter output)
    {
        string path = rest.Length == 1 ? rest[0] : CommandLine.FileArgument(rest, "file");
        using var obj = BpfObject.Open(path);
        output.WriteLine($"object: {obj.Name}  path: {path}  license: {(obj.License.Length == 0 ? "-" : obj.License)}  btf: {(obj.Btf is null ? "no" : $"{obj.Btf.OwnTypeCount} types")}");
        output.WriteLine($"maps: {obj.Maps.Count}");
        output.WriteLine($"  {"name",-24} {"type",-18} {"key",5} {"value",7} {"max_entries",11} {"flags",-8} {"autocreate",-10} {"pinning",-8} section");
        foreach (var m in obj.Maps)
        {
            output.WriteLine($"  {m.Name,-24} {m.Type,-18} {m.KeySize,5} {m.ValueSize,7} {m.MaxEntries,11} 0x{m.Flags,-6:x} {(m.AutoCreate ? "yes" : "no"),-10} {m.Pinning,-8} {m.SectionName ?? "-"}");
        }
        output.WriteLine($"programs: {obj.Programs.Count}");
        output.WriteLine($"  {"name",-24} {"type",-22} {"expected_attach_type",-22} {"autoload",-8} {"insns",5} section");
        foreach (var p in obj.Programs)
        {
            string attach = p.ExpectedAttachType == 0 ? "-" : p.ExpectedAttachType.ToString();
            output.WriteLine($"  {p.Name,-24} {(p.Type == 0 ? "unspec" : p.Type.ToString()),-22} {attach,-22} {(p.AutoLoad ? "yes" : "no"),-8} {p.Instructions.Length,5} {p.SectionName}{(p.Flags != 0 ? $" flags=0x{p.Flags:x}" : "")}");
        }
        return CommandLine.Ok;
    }
}
