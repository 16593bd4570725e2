using BpfLoader.Btf;
using BpfLoader.Elf;
using BpfLoader.Objects;
using NUnit.Framework;
using Shouldly;

namespace BpfTests.Btf;

/// <summary>The .BTF of every object the build produced parses and writes back byte for byte, and .BTF.ext parses.</summary>
public class ObjectBtfRoundTripTests
{
    private static IEnumerable<TestCaseData> Objects()
        => Progs.All().Select(p => new TestCaseData(p).SetArgDisplayNames(Path.GetFileName(p)));

    [TestCaseSource(nameof(Objects))]
    public void ObjectBtfRoundTripsByteIdentical(string path)
    {
        var elf = ElfFile.Open(path);
        var section = elf.FindSection(".BTF").ShouldNotBeNull($"{elf.Name} has no .BTF");
        var original = section.Data.ToArray();
        var btf = BpfLoader.Btf.Btf.Parse(original, null, elf.Name);
        btf.LastId.ShouldBeGreaterThan(0);
        btf.ToBytes().ShouldBe(original);

        var ext = elf.FindSection(".BTF.ext");
        if (!elf.Sections.Any(s => s.IsExecutable && s.Size > 0))
        {
            ext.ShouldBeNull("an object without code has no .BTF.ext");
            return;
        }
        ext.ShouldNotBeNull();
        var parsed = BtfExt.Parse(ext.Data, btf, elf.Name);
        parsed.FuncInfoSections.ShouldNotBeEmpty();
        foreach (var sec in parsed.FuncInfoSections)
        {
            foreach (var fi in sec.Records)
                btf[fi.TypeId].Kind.ShouldBe(BtfKind.Func, $"{elf.Name} {sec.Name} func_info at {fi.InsnOff}");
        }
    }

    [Test]
    public void OpenedObjectKeepsItsBtfAndFixesDatasecSizesOnLoad()
    {
        using var obj = BpfObject.Open(Progs.Path("global_data"));
        var btf = obj.Btf.ShouldNotBeNull();
        int bss = btf.FindByName(".bss", BtfKind.Datasec);
        btf[bss].Size.ShouldBe(0u, "clang leaves DATASEC sizes to the loader");
        obj.Load();
        btf[bss].Size.ShouldBe((uint)obj.Map(".bss").ValueSize, "the loader filled it in from the ELF section");
        var info = BpfLoader.Maps.MapInfo.Read(obj.Map(".bss").Fd).ShouldNotBeNull();
        info.BtfValueTypeId.ShouldBe((uint)bss, "global data maps carry their DATASEC as value type");
        info.BtfId.ShouldBeGreaterThan(0u);
    }
}
