using BpfTests.Vmtest.Results;
using NUnit.Framework;

namespace BpfTests.Vmtest.Tests;

public class DenyListTests
{
    [Test]
    public void IgnoresBlankAndCommentLines()
    {
        var e = DenyList.Parse(["# TEMPORARY", "", "   ", "get_stack_raw_tp    # spams with kernel warnings"], "DENYLIST");
        Assert.That(e.Select(x => (x.Pattern, x.Reason, x.Line)), Is.EqualTo(new[] { ("get_stack_raw_tp", "spams with kernel warnings", 4) }));
    }

    [Test]
    public void OnePatternPerLine()
    {
        var ex = Assert.Throws<FormatException>(() => DenyList.Parse(["a b  # reason"], "DENYLIST.6.1"));
        Assert.That(ex!.Message, Does.Contain("DENYLIST.6.1:1"));
    }

    [Test]
    public void SplitsTestAndSubtest()
    {
        var e = DenyList.Parse(["struct_ops_module   # r1", "test_global_funcs/ctx_arg_rewrite # r2", "kprobe_multi*  # r3"], "DENYLIST");
        Assert.That(e.Select(x => (x.Test, x.Subtest, x.Reason)), Is.EqualTo(new (string, string?, string)[]
        {
            ("struct_ops_module", null, "r1"), ("test_global_funcs", "ctx_arg_rewrite", "r2"), ("kprobe_multi*", null, "r3"),
        }));
        Assert.That(e[2].HasGlob);
        Assert.That(e[1].Line, Is.EqualTo(2));
    }

    [Test]
    public void EveryEntryNeedsAReason()
    {
        var ex = Assert.Throws<FormatException>(() => DenyList.Parse(["# fine", "fexit_sleep"], "DENYLIST.tcg"));
        Assert.That(ex!.Message, Is.EqualTo("DENYLIST.tcg:2: 'fexit_sleep' has no '# reason'"));
    }

    [Test]
    public void FilesMergeGenericThenSeriesThenTcg()
    {
        var dir = Directory.CreateTempSubdirectory().FullName;
        try
        {
            foreach (var f in new[] { "DENYLIST", "DENYLIST.6.1", "DENYLIST.6.12", "DENYLIST.tcg" }) File.WriteAllText(Path.Combine(dir, f), "");
            Assert.That(DenyList.FilesFor(dir, "6.1", tcg: true).Select(Path.GetFileName), Is.EqualTo(new[] { "DENYLIST", "DENYLIST.6.1", "DENYLIST.tcg" }));
            Assert.That(DenyList.FilesFor(dir, "7.2", tcg: false).Select(Path.GetFileName), Is.EqualTo(new[] { "DENYLIST" }));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Test]
    public void BecomesATestFilter()
    {
        var e = DenyList.Parse(["struct_ops_module  # r", "kprobe_multi*  # r", "btf/sub  # r", "*  # r"], "DENYLIST");
        var filter = DenyList.ToTestFilter(e, out var left);
        Assert.That(filter, Is.EqualTo("Name!=struct_ops_module&FullyQualifiedName!~.struct_ops_module.&FullyQualifiedName!~kprobe_multi"));
        Assert.That(left.Select(x => x.Pattern), Is.EqualTo(new[] { "btf/sub", "*" }));
        Assert.That(DenyList.ToTestFilter([], out _), Is.Null);
    }

    [Test]
    public void RendersTheMergedFileInTestProgsFormat()
    {
        var e = DenyList.Parse(["a  # r1", "b/c # r2"], "DENYLIST.7.2");
        Assert.That(DenyList.Render(e), Is.EqualTo("a  # r1 (DENYLIST.7.2:1)\nb/c  # r2 (DENYLIST.7.2:2)\n"));
    }

    [Test]
    public void TheRepositorysListsParse()
    {
        var paths = Provision.VmtestPaths.Discover(TestContext.CurrentContext.TestDirectory);
        foreach (var f in Directory.GetFiles(paths.DenyListDir, "DENYLIST*"))
            Assert.DoesNotThrow(() => DenyList.Parse(File.ReadLines(f), Path.GetFileName(f)), f);
    }
}
