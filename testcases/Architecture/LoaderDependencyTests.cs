using BpfLoader.Objects;
using NUnit.Framework;

namespace BpfTests.Architecture;

/// <summary>
/// The folder graph of <c>loader/</c> (loader/README.md): each folder is a namespace <c>BpfLoader.X</c> and may
/// use only the folders listed for it. The rule is checked over the compiled assembly, so a using directive,
/// a fully qualified name or a call all count. A new edge is a design decision: add it to this table and to
/// the README's graph together, and keep the graph free of cycles.
/// </summary>
public class LoaderDependencyTests
{
    /// <summary>Folder → the folders it may use. Listed bottom-up: each folder uses only folders above it.</summary>
    internal static readonly IReadOnlyDictionary<string, string[]> MayUse = new Dictionary<string, string[]>
    {
        ["Diagnostics"] = [],
        ["Interop"] = ["Diagnostics"],
        ["Btf"] = ["Diagnostics", "Interop"],
        ["BtfDump"] = ["Btf", "Diagnostics"],
        ["Elf"] = ["Btf", "Diagnostics"],
        ["Linker"] = ["Btf", "Diagnostics", "Elf"],
        ["Kernel"] = ["Btf", "Diagnostics", "Interop"],
        ["Links"] = ["Diagnostics", "Kernel"],
        ["Programs"] = ["Diagnostics", "Interop", "Kernel", "Links"],
        ["Maps"] = ["Diagnostics", "Interop", "Kernel", "Programs"],
        ["Core"] = ["Btf", "Diagnostics", "Elf", "Kernel", "Programs"],
        ["ArgCtx"] = ["Btf", "Diagnostics", "Interop", "Kernel", "Programs"],
        ["Externs"] = ["Btf", "Core", "Diagnostics", "Elf", "Kernel", "Maps", "Programs"],
        ["StructOps"] = ["Btf", "Diagnostics", "Elf", "Interop", "Kernel", "Links", "Maps", "Programs"],
        ["Objects"] = ["ArgCtx", "Btf", "Core", "Diagnostics", "Elf", "Externs", "Interop", "Kernel", "Links", "Maps", "Programs", "StructOps"],
        ["Skeletons"] = ["Btf", "Diagnostics", "Links", "Maps", "Objects", "Programs", "StructOps"],
    };

    private static string? Folder(Type t) =>
        t.Assembly == typeof(BpfObject).Assembly && t.Namespace is { } ns && ns.StartsWith("BpfLoader.", StringComparison.Ordinal)
            ? ns["BpfLoader.".Length..].Split('.')[0]
            : null;

    [Test]
    public void Every_folder_uses_only_the_folders_it_may()
    {
        // edge -> where it is used (a few examples each)
        var violations = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var use in TypeReferences.Of(typeof(BpfObject).Assembly))
        {
            if (Folder(use.From) is not { } from || Folder(use.To) is not { } to || from == to)
                continue;
            if (MayUse.TryGetValue(from, out var allowed) && allowed.Contains(to))
                continue;
            string edge = MayUse.ContainsKey(from) ? $"{from} -> {to}" : $"{from} (a folder the graph does not list)";
            if (!violations.TryGetValue(edge, out var where))
                violations[edge] = where = new SortedSet<string>(StringComparer.Ordinal);
            where.Add($"{use.Where} uses {use.To.FullName}");
        }
        Assert.That(violations.Keys, Is.Empty, () => "loader folder dependencies outside the graph of loader/README.md:\n" +
            string.Join("\n", violations.Select(v => $"  {v.Key}: {string.Join("; ", v.Value.Take(3))}")));
    }

    [Test]
    public void The_allowed_graph_has_no_cycles()
    {
        // Listed bottom-up, so an acyclic graph never points at a folder listed later (or at itself).
        var order = MayUse.Keys.ToList();
        var upward = MayUse.SelectMany(kv => kv.Value.Where(to => order.IndexOf(to) < 0 || order.IndexOf(to) >= order.IndexOf(kv.Key))
            .Select(to => $"{kv.Key} -> {to}")).ToList();
        Assert.That(upward, Is.Empty, "edges to a folder not listed before the user (a cycle, or an unknown folder)");
    }
}
