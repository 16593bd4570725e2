using BpfLoader.Objects;
using NUnit.Framework;
using Shouldly;

namespace BpfTests.Linker;

/// <summary>
/// Port of upstream's linked_vars: variables defined in one file are used through extern declarations in the
/// other, the first __weak definition wins in .bss, .data and .rodata, and kconfig/ksym externs declared in
/// both files become one extern (strong if any declaration is).
/// </summary>
public class LinkedVarsTests
{
    [Test]
    public void ExternVariablesResolveToTheOtherFilesDefinitions()
    {
        string path = LinkerParts.LinkThrice("linked_vars", "linked_vars1", "linked_vars2");
        using var obj = BpfObject.Open(path);
        var globals = new LinkedGlobals(obj, path);
        globals.SetInt("input_bss1", 1000);
        globals.SetInt("input_bss2", 2000);
        globals.SetInt("input_bss_weak", 3000);
        obj.Load();
        LinkedGlobals.AttachAndTrigger(obj);

        globals.Int("output_bss1").ShouldBe(1000 + 2000 + 3000);
        globals.Int("output_bss2").ShouldBe(1000 + 2000 + 3000);
        globals.Int("output_data1").ShouldBe(1 + 2 + 10, "file 1's __weak input_data_weak = 10 wins");
        globals.Int("output_data2").ShouldBe(1 + 2 + 10);
        globals.Int("output_rodata1").ShouldBe(11 + 22 + 100, "file 1's __weak input_rodata_weak = 100 wins");
        globals.Int("output_rodata2").ShouldBe(11 + 22 + 100);
    }

    [Test]
    public void KconfigExternsAreMergedAndAStrongDeclarationWins()
    {
        string path = LinkerParts.Link("linked_vars", "linked_vars1", "linked_vars2");
        var globals = ObjectComparison.GlobalSymbols(path);
        globals.Count(s => s.StartsWith("CONFIG_BPF_SYSCALL ", StringComparison.Ordinal)).ShouldBe(1);
        globals.ShouldContain("CONFIG_BPF_SYSCALL bind=1 type=0 vis=0 sec=UND", "weak in file 1, strong in file 2");
        globals.ShouldContain("bpf_link_fops bind=2 type=0 vis=0 sec=UND");
        globals.ShouldContain("LINUX_KERNEL_VERSION bind=1 type=0 vis=0 sec=UND");
    }
}
