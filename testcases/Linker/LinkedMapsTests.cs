using BpfLoader.Objects;
using NUnit.Framework;
using Shouldly;

namespace BpfTests.Linker;

/// <summary>
/// Port of upstream's linked_maps: a map defined in one file and declared extern (with an identical
/// definition, fields in another order) in the other is one map; a __weak map defined in both files is one
/// map; programs of both files see each other's updates.
/// </summary>
public class LinkedMapsTests
{
    [Test]
    public void ExternAndWeakMapsAreSharedAcrossFiles()
    {
        string path = LinkerParts.LinkThrice("linked_maps", "linked_maps1", "linked_maps2");
        using var obj = BpfObject.Open(path);
        obj.Maps.Where(m => !m.IsInternal).Select(m => m.Name).Order(StringComparer.Ordinal).ShouldBe(["map1", "map2", "map_weak"]);
        obj.Map("map2").MaxEntries.ShouldBe(8u);
        var globals = new LinkedGlobals(obj, path);
        obj.Load();
        LinkedGlobals.AttachAndTrigger(obj);

        globals.Int("output_first1").ShouldBe(2000, "file 1 read map1[2] written by file 2");
        globals.Int("output_second1").ShouldBe(2);
        globals.Int("output_weak1").ShouldBe(2);
        globals.Int("output_first2").ShouldBe(1000, "file 2 read map1[1] written by file 1");
        globals.Int("output_second2").ShouldBe(1);
        globals.Int("output_weak2").ShouldBe(1);
        obj.Map("map2").Lookup<int, int>(1).ShouldBe(1, "file 1's program wrote map2[1] through its extern declaration");
    }
}
