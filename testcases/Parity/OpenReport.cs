using System.Globalization;
using BpfLoader.Diagnostics;
using BpfLoader.Kernel;
using BpfLoader.Objects;

namespace BpfTests.Parity;

/// <summary>
/// What one loader decided about one object, in the reference program's line format (see libbpf_open.c):
/// the open outcome, the programs and maps it found, the load outcome when asked, and its WARN messages.
/// Both sides are reduced to this so a difference reads as a line diff.
/// </summary>
public sealed record OpenReport(int Open, int? Load, IReadOnlyList<string> Programs, IReadOnlyList<string> Maps, IReadOnlyList<string> Warnings)
{
    /// <summary>Parses libbpf_open's output.</summary>
    public static OpenReport Parse(string output)
    {
        int open = int.MinValue;
        int? load = null;
        var programs = new List<string>();
        var maps = new List<string>();
        var warnings = new List<string>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var (head, rest) = line.IndexOf(' ') is var sp and > 0 ? (line[..sp], line[(sp + 1)..]) : (line, "");
            switch (head)
            {
                case "open": open = int.Parse(rest, CultureInfo.InvariantCulture); break;
                case "load": load = int.Parse(rest, CultureInfo.InvariantCulture); break;
                case "prog": programs.Add(rest); break;
                case "map": maps.Add(rest); break;
                case "log" when rest.StartsWith("warn ", StringComparison.Ordinal): warnings.Add(rest["warn ".Length..]); break;
            }
        }
        if (open == int.MinValue)
            throw new InvalidOperationException($"the reference printed no open line:\n{output}");
        return new OpenReport(open, load, programs, maps, warnings);
    }

    /// <summary>Opens (and with <paramref name="load"/> loads) the object with our loader, recording the same facts.</summary>
    public static OpenReport Ours(string path, bool load, string? only)
    {
        var warnings = new List<string>();
        var previous = LibbpfLog.SetPrint((level, text) =>
        {
            if (level == LogLevel.Warn)
                warnings.Add(text.TrimEnd('\n').Replace("\n", "\\n", StringComparison.Ordinal));
        });
        try
        {
            BpfObject obj;
            try
            {
                obj = BpfObject.Open(path);
            }
            catch (BpfException e)
            {
                return new OpenReport(e.Error, null, [], [], warnings);
            }
            using (obj)
            {
                var programs = obj.Programs.Select(p => $"{p.Name} {Dash(p.SectionName)} {BpfEnumNames.ProgType(p.Type)} {(p.AutoLoad ? 1 : 0)}").ToList();
                var maps = obj.Maps.Select(m => string.Create(CultureInfo.InvariantCulture,
                    $"{m.Name} {BpfEnumNames.MapType(m.Type)} {m.KeySize} {m.ValueSize} {m.MaxEntries} 0x{m.Flags:x} 0x{m.MapExtra:x} {m.NumaNode} {(m.InnerMap is null ? "-" : BpfEnumNames.MapType(m.InnerMap.Type))}")).ToList();
                int? loaded = null;
                if (load)
                {
                    if (only is not null)
                        foreach (var p in obj.Programs)
                            p.AutoLoad = p.Name == only;
                    try
                    {
                        obj.Load();
                        loaded = 0;
                    }
                    catch (BpfException e)
                    {
                        loaded = e.Error;
                    }
                }
                return new OpenReport(0, loaded, programs, maps, warnings);
            }
        }
        finally
        {
            LibbpfLog.SetPrint(previous);
        }
    }

    private static string Dash(string? s) => string.IsNullOrEmpty(s) ? "-" : s;

    public override string ToString() => string.Join('\n',
        new[] { $"open {Open}" }
            .Concat(Programs.Select(p => "prog " + p))
            .Concat(Maps.Select(m => "map " + m))
            .Concat(Load is null ? [] : [$"load {Load}"])
            .Concat(Warnings.Select(w => "warn " + w)));
}
