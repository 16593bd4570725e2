using NUnit.Framework;
using Shouldly;

namespace BpfTests.Btf;

/// <summary>
/// The BTF tests' scratch folder (<c>bpftests-btf-&lt;pid&gt;</c> in the temporary directory) is removed when the
/// run ends, and folders left by runs that died (their process is gone) are removed when the next run starts.
/// </summary>
public static class BtfTempFiles
{
    public const string Prefix = "bpftests-btf-";

    public static string OwnFolder => Path.Combine(Path.GetTempPath(), Prefix + Environment.ProcessId);

    /// <summary>Scratch folders whose owning process no longer runs.</summary>
    public static IEnumerable<string> Orphans()
    {
        foreach (var dir in Directory.EnumerateDirectories(Path.GetTempPath(), Prefix + "*"))
        {
            if (int.TryParse(Path.GetFileName(dir)[Prefix.Length..], out int pid) && !Directory.Exists($"/proc/{pid}"))
                yield return dir;
        }
    }

    public static void RemoveOrphans()
    {
        foreach (var dir in Orphans().ToList())
            TryDelete(dir);
    }

    public static void RemoveOwn() => TryDelete(OwnFolder);

    private static void TryDelete(string dir)
    {
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TestContext.Progress.WriteLine($"could not remove {dir}: {e.Message}");
        }
    }
}

/// <summary>Issue 17: every host-suite run used to leave its <c>bpftests-btf-&lt;pid&gt;</c> folder behind.</summary>
public class BtfTempFilesTests
{
    [Test]
    public void NoScratchFolderOfAFinishedRunIsLeft()
    {
        // A dead process's folder that survived the fixture's start-of-run cleanup means nothing removes them.
        var orphan = Path.Combine(Path.GetTempPath(), BtfTempFiles.Prefix + int.MaxValue);
        Directory.CreateDirectory(orphan);
        File.WriteAllText(Path.Combine(orphan, "left.btf"), "x");
        BtfTempFiles.RemoveOrphans();
        Directory.Exists(orphan).ShouldBeFalse();
        BtfTempFiles.Orphans().ShouldBeEmpty();
        BtfTestUtil.TempDir().ShouldBe(BtfTempFiles.OwnFolder); // the folder the end-of-run cleanup removes
    }
}
