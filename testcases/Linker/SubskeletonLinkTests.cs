using BpfLoader.Objects;
using NUnit.Framework;
using Shouldly;

namespace BpfTests.Linker;

/// <summary>
/// The upstream subskeleton inputs linked by our linker (lib2 + lib → the library object; lib2 + lib + main →
/// the final object) and compared with Debian bpftool's links of the same parts: sections, global symbols,
/// maps and programs agree, our BTF is no larger, both objects load, and every program's instructions as the
/// kernel translated them are the same.
/// </summary>
public class SubskeletonLinkTests
{
    private static readonly object[] Cases =
    [
        new object[] { "test_subskeleton_lib", new[] { "test_subskeleton_lib2", "test_subskeleton_lib" } },
        new object[] { "test_subskeleton", new[] { "test_subskeleton_lib2", "test_subskeleton_lib", "test_subskeleton" } },
    ];

    [TestCaseSource(nameof(Cases))]
    public void SameSectionsAndGlobalSymbolsAsBpftool(string name, string[] parts)
    {
        string ours = LinkerParts.Link(name, parts);
        string reference = LinkerParts.Reference(name);
        ObjectComparison.Sections(ours).ShouldBe(ObjectComparison.Sections(reference));
        ObjectComparison.GlobalSymbols(ours).ShouldBe(ObjectComparison.GlobalSymbols(reference));
        ObjectComparison.GlobalSymbols(ours).ShouldContain(s => s.StartsWith("lib_routine bind=1 type=2", StringComparison.Ordinal));
    }

    [TestCaseSource(nameof(Cases))]
    public void BtfNoLargerThanBpftools(string name, string[] parts)
    {
        string ours = LinkerParts.Link(name, parts);
        int count = ObjectComparison.BtfTypeCount(ours);
        count.ShouldBeLessThanOrEqualTo(ObjectComparison.BtfTypeCount(LinkerParts.Reference(name)));
        count.ShouldBeLessThan(parts.Sum(p => ObjectComparison.BtfTypeCount(LinkerParts.Part(p))), "dedup merged the inputs' common types");
    }

    [TestCaseSource(nameof(Cases))]
    public void SameMapsProgramsAndTranslatedInstructionsAsBpftool(string name, string[] parts)
    {
        string ours = LinkerParts.Link(name, parts);
        using var a = ObjectComparison.OpenAndLoad(ours);
        using var b = ObjectComparison.OpenAndLoad(LinkerParts.Reference(name));
        Describe(a).ShouldBe(Describe(b));
        a.Programs.Count.ShouldBeGreaterThan(0);
        foreach (var prog in a.Programs)
        {
            prog.IsLoaded.ShouldBeTrue();
            ObjectComparison.Xlated(a, prog).ShouldBe(ObjectComparison.Xlated(b, b.Program(prog.Name)), $"program {prog.Name}");
        }
    }

    [Test]
    public void LinkingIsDeterministic()
    {
        var parts = new[] { "test_subskeleton_lib2", "test_subskeleton_lib", "test_subskeleton" };
        File.ReadAllBytes(LinkerParts.Link("test_subskeleton", parts))
            .ShouldBe(File.ReadAllBytes(LinkerParts.Link("test_subskeleton", parts)));
    }

    [Test]
    public void ReLinkingTheOutputReproducesIt()
    {
        string thrice = LinkerParts.LinkThrice("test_subskeleton", "test_subskeleton_lib2", "test_subskeleton_lib", "test_subskeleton");
        File.Exists(thrice).ShouldBeTrue();
    }

    private static List<string> Describe(BpfObject obj)
        => obj.Maps.Select(m => $"map {m.Name} {m.Type} key={m.KeySize} value={m.ValueSize} max={m.MaxEntries} flags={m.Flags}")
            .Concat(obj.Programs.Select(p => $"prog {p.Name} sec={p.SectionName} type={p.Type}"))
            .Order(StringComparer.Ordinal).ToList();
}
