using BpfLoader.Diagnostics;
using BpfLoader.Objects;
using NUnit.Framework;
using Shouldly;

namespace BpfTests.ArgCtx;

/// <summary>
/// libbpf assigns exception callbacks during relocation (bpf_prog_assign_exc_cb): the global subprogram named by
/// a main program's <c>exception_callback:</c> decl tag is appended to that program although nothing calls it,
/// and a tag naming no subprogram fails the load with libbpf's message. Checked after prepare, where the linked
/// instructions are final (loading needs bpf_throw support, v6.7+).
/// </summary>
public class ExceptionCallbackTests
{
    [Test]
    public void Callback_named_by_the_decl_tag_is_appended_to_its_program()
    {
        using var obj = BpfObject.Open(Progs.Path("exception_callback"));
        var prog = obj.Program("with_callback");
        prog.AutoLoad = true;
        obj.Prepare();
        var placed = obj.Linked![prog].Placement.Select(p => p.Program.Name).ToList();
        placed.ShouldBe(["with_callback", "on_exception"]);
        obj.Linked[prog].FuncInfoCount.ShouldBe(2, "the callback's func_info record travels with it");
    }

    [Test]
    public void Callback_name_without_a_subprogram_fails_with_libbpfs_message()
    {
        using var obj = BpfObject.Open(Progs.Path("exception_callback"));
        obj.Program("with_missing_callback").AutoLoad = true;
        var e = Should.Throw<BpfException>(obj.Prepare);
        e.Error.ShouldBe(-Errno.ENOENT);
        e.Message.ShouldBe("prog 'with_missing_callback': cannot find exception callback 'no_such_callback'");
    }
}
