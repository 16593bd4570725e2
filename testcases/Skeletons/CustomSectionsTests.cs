using NUnit.Framework;
using Shouldly;

namespace BpfTests.Skeletons;

/// <summary>
/// Custom <c>.bss.*</c> sections through a generated skeleton (progs/skeleton_sections.bpf.c): one zero-filled
/// global-data map per section, as libbpf makes them, writable before load, live after; the names the generator
/// had to disambiguate; and an arena object, whose globals the skeleton says it does not view.
/// </summary>
public class CustomSectionsTests
{
    [Test]
    public void BssCustomSectionsAreZeroedBeforeLoadAndLiveAfter()
    {
        using var skel = SkeletonSections.Open();
        skel.BssStats.Stats.Hits.ShouldBe(0UL);
        skel.BssStats.Seen[3].ShouldBe(0u);
        skel.BssStats.Seen[0] = 41; // NOBITS: the zero image takes writes before load
        skel.Data.Section_2.ShouldBe(1, "int section = 1, renamed past SkeletonView.Section");
        skel.Data.Offset_2.ShouldBe(2);
        skel.Data.BtfLayout_2.ShouldBe(3);
        skel.Data.KindVar.ShouldBe(SkeletonSections.Types.SecKind.@object);
        skel.Data.TypesVar.ToString_2.ShouldBe(4);
        skel.Data.TypesVar.Equals_2.ShouldBe(5);
        skel.Load();

        skel.Progs.Fill.TestRun(context: new byte[8], repeat: 0, dataOutSize: 0);
        skel.Progs.Fill.TestRun(context: new byte[8], repeat: 0, dataOutSize: 0);

        skel.BssStats.Stats.Hits.ShouldBe(2UL);
        skel.BssStats.Stats.Last.ShouldBe(1u + 2u);
        skel.BssStats.Seen[0].ShouldBe(41u, "the value written before load reached the map");
        skel.BssStats.Seen[3].ShouldBe(3u);
        skel.BssAVeryLongSectionName.LongNamed.ShouldBe((int)SkeletonSections.Types.SecKind.@object);
        skel.Progs.ToString_2.TestRun(context: new byte[8], repeat: 0, dataOutSize: 0).ReturnValue.ShouldBe(4u + 5u);
    }

    [Test]
    public void NamesThatClashAreDisambiguatedAndStillBindTheRightMaps()
    {
        using var skel = SkeletonSections.Open();
        skel.Maps.Data.Name.ShouldBe("data", "the user map comes first, as in libbpf's map order");
        skel.Maps.Data_2.SectionName.ShouldBe(".data");
        skel.Maps.BssStats.Name.ShouldBe(".bss.stats", "a section name with a second dot gets no object-name prefix");
        skel.Maps.BssAVeryLongSectionName.Name.ShouldBe(".bss.a_very_lon", "kernel map names are 15 characters");
        skel.Maps.BssAVeryLongSectionName.SectionName.ShouldBe(".bss.a_very_long_section_name");
        skel.Progs.ToString_2.Name.ShouldBe("to_string");
    }

    [Test]
    public void ArenaGlobalsAreListedAsNotGenerated()
    {
        using var skel = SkeletonArena.Open();
        skel.Maps.Arena.Name.ShouldBe("arena");
        skel.Data.Plain.ShouldBe(1);
        typeof(SkeletonArena).GetNestedTypes().Select(t => t.Name).ShouldNotContain("AddrSpace_1Section");
        typeof(SkeletonArena).GetProperties().Select(p => p.Name).ShouldNotContain(n => n.StartsWith("AddrSpace", StringComparison.Ordinal));
    }
}
