using BpfLoader.Objects;
using NUnit.Framework;
using Shouldly;

namespace BpfTests.Linker;

/// <summary>
/// Port of upstream's linked_funcs: each file's program calls the other file's global functions, static
/// subprogs of the same name stay apart, the first __weak definition of a function wins, and a function
/// declared __hidden at its extern site is verified as static (it reads the raw_tp context).
/// </summary>
public class LinkedFuncsTests
{
    private const int SysGetpgid = 121;   // x86-64

    [Test]
    public void ProgramsCallEachOthersGlobalFunctions()
    {
        string path = LinkerParts.LinkThrice("linked_funcs", "linked_funcs1", "linked_funcs2");
        using var obj = BpfObject.Open(path);
        foreach (var p in obj.Programs)
            p.AutoLoad = true;
        var globals = new LinkedGlobals(obj, path);
        globals.SetInt("my_tid", BpfLoader.Interop.Native.GetTid());
        globals.SetLong("syscall_id", SysGetpgid);
        obj.Load();
        LinkedGlobals.AttachAndTrigger(obj);

        globals.Int("output_val1").ShouldBe(2000 + 2000, "file 2 called set_output_val1(2000), subprog x*1");
        globals.Int("output_ctx1").ShouldBe(SysGetpgid);
        globals.Int("output_weak1").ShouldBe(42, "the first __weak set_output_weak (file 1's) runs for both callers");
        globals.Int("output_val2").ShouldBe(2 * 1000 + 2 * (2 * 1000), "file 1 called set_output_val2(1000), subprog x*2");
        globals.Int("output_ctx2").ShouldBe(SysGetpgid);
        globals.Int("output_weak2").ShouldBe(0, "file 2's __weak set_output_weak lost and never runs");
    }

    [Test]
    public void HiddenVisibilityIsContagiousFromTheExternDeclaration()
    {
        string path = LinkerParts.Link("linked_funcs", "linked_funcs1", "linked_funcs2");
        var globals = ObjectComparison.GlobalSymbols(path);
        globals.ShouldContain(s => s.StartsWith("set_output_ctx1 bind=1 type=2 vis=2 ", StringComparison.Ordinal));
        globals.ShouldContain(s => s.StartsWith("set_output_ctx2 bind=1 type=2 vis=2 ", StringComparison.Ordinal));
        globals.ShouldContain(s => s.StartsWith("set_output_val1 bind=1 type=2 vis=0 ", StringComparison.Ordinal));
        globals.ShouldContain(s => s.StartsWith("set_output_weak bind=2 type=2 ", StringComparison.Ordinal));
    }
}
