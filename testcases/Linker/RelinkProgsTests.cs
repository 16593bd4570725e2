using BpfLoader.Cli;
using BpfLoader.Objects;
using NUnit.Framework;
using Shouldly;

namespace BpfTests.Linker;

/// <summary>
/// Every progs/ object through our linker: linked together with a small library object, each program loads
/// (or is refused with the same errno) as in the original; linked alone, each program that loads is
/// translated by the kernel into exactly the original's instructions.
/// </summary>
public class RelinkProgsTests
{
    public static IEnumerable<string> Objects() => Progs.All().Select(Path.GetFileName)!;

    [TestCaseSource(nameof(Objects))]
    public void LinkedWithALibraryLoadsLikeTheOriginal(string file)
    {
        string original = Path.Combine(Progs.Directory, file);
        string linked = LinkerParts.Link(Path.GetFileNameWithoutExtension(file), original, LinkerParts.Part("linked_lib"));
        ObjectComparison.GlobalSymbols(linked).ShouldContain(s => s.StartsWith("linked_lib_add ", StringComparison.Ordinal));
        WithoutNewPins(() => Outcomes(linked).ShouldBe(Outcomes(original)));
    }

    [TestCaseSource(nameof(Objects))]
    public void LinkedAloneLoadsExactlyLikeTheOriginal(string file)
    {
        string original = Path.Combine(Progs.Directory, file);
        string linked = LinkerParts.Link(Path.GetFileNameWithoutExtension(file), original);
        WithoutNewPins(() =>
        {
            var outcomes = ProgLoadAllCommand.LoadAll(original);
            ProgLoadAllCommand.LoadAll(linked).Select(r => (r.Program, r.Error)).ShouldBe(outcomes.Select(r => (r.Program, r.Error)));
            foreach (var loadable in outcomes.Where(r => r.Error == 0))
            {
                using var a = LoadOnly(original, loadable.Program);
                using var b = LoadOnly(linked, loadable.Program);
                b.Program(loadable.Program).IsLoaded.ShouldBe(a.Program(loadable.Program).IsLoaded);
                if (!a.Program(loadable.Program).IsLoaded)
                    continue;   // e.g. a struct_ops program no struct_ops map uses: libbpf does not load it
                ObjectComparison.Xlated(b, b.Program(loadable.Program)).ShouldBe(ObjectComparison.Xlated(a, a.Program(loadable.Program)), loadable.Program);
            }
        });
    }

    // Objects with pinned maps (pinned.bpf.o) pin under the default /sys/fs/bpf: what a test created there is removed
    // after it, or the harness' leak check rightly reports a map kept alive by its pin.
    private static void WithoutNewPins(Action test)
    {
        var before = BpffsEntries();
        try
        {
            test();
        }
        finally
        {
            foreach (string pin in BpffsEntries().Except(before))
                File.Delete(pin);
        }
    }

    private static HashSet<string> BpffsEntries()
        => Directory.Exists("/sys/fs/bpf") ? [.. Directory.EnumerateFiles("/sys/fs/bpf")] : [];

    private static List<(string, int)> Outcomes(string path)
        => ProgLoadAllCommand.LoadAll(path).Select(r => (r.Program, r.Error)).Order().ToList();

    private static BpfObject LoadOnly(string path, string program)
    {
        var obj = BpfObject.Open(path);
        try
        {
            foreach (var p in obj.Programs)
                p.AutoLoad = p.Name == program;
            obj.Load();
            return obj;
        }
        catch
        {
            obj.Dispose();
            throw;
        }
    }
}
