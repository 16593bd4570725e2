using BpfLoader.Objects;
using NUnit.Framework;
using Shouldly;

namespace BpfTests.Linker;

/// <summary>
/// Port of upstream's static_linked: two files with static variables and a static subprog of the same names;
/// after linking each program still uses its own file's statics (and the duplicate license/version sections
/// are merged).
/// </summary>
public class StaticLinkedTests
{
    [Test]
    public void StaticsOfTheSameNameStayApart()
    {
        string path = LinkerParts.LinkThrice("static_linked", "static_linked1", "static_linked2");
        using var obj = BpfObject.Open(path);
        var globals = new LinkedGlobals(obj, path);
        globals.SetInt("rovar1", 1);
        globals.SetInt("rovar2", 4);
        obj.Load();
        LinkedGlobals.AttachAndTrigger(obj);

        globals.Int("var1").ShouldBe(1 * 2 + 2 + 3, "file 1: subprog(1) = 2, static_var1 = 2, static_var2 = 3");
        globals.Int("var2").ShouldBe(4 * 3 + 5 + 6, "file 2: subprog(4) = 12, static_var1 = 5, static_var2 = 6");
        ObjectComparison.GlobalSymbols(path).Count(s => s.StartsWith("VERSION ", StringComparison.Ordinal)).ShouldBe(1);
    }
}
