using System.Diagnostics;
using System.Text;
using BpfLoader.Btf.Dedup;
using BpfLoader.BtfDump;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.FSharp.Core;
using NUnit.Framework;
using Shouldly;

namespace BpfTests.Properties;

using Btf = BpfLoader.Btf.Btf;

/// <summary>
/// Properties of the BTF writer, parser, C dumper and deduplicator over generated type graphs
/// (<see cref="GeneratedBtf"/>). A failure prints FsCheck's shrunk counterexample (the steps) and its replay seed.
/// </summary>
public class BtfPropertyTests
{
    /// <summary>
    /// The generator's seed: fixed by default so that CI runs the same graphs every time (a property that fails
    /// only for some seeds must not make CI flaky); <c>random</c> explores, a number replays that seed.
    /// </summary>
    public const string SeedVariable = "BPFTESTS_PROPERTY_SEED";

    private static void Check(Property property, int maxTest)
    {
        var config = Config.QuickThrowOnFailure.WithMaxTest(maxTest).WithQuietOnSuccess(true);
        string seed = Environment.GetEnvironmentVariable(SeedVariable) ?? "20261130";
        if (seed != "random")
            config = config.WithReplay(FSharpOption<Replay>.Some(new Replay(new Rnd(ulong.Parse(seed)), FSharpOption<int>.None)));
        FsCheck.Check.One(config, property);
    }

    private static string RawDump(Btf btf)
    {
        var w = new StringWriter();
        btf.DumpRaw(w);
        return w.ToString();
    }

    [Test]
    public void WriteParseWriteIsByteForByte()
        => Check(Prop.ForAll(GeneratedBtf.Steps(BtfFlavor.Any), steps =>
        {
            var built = GeneratedBtf.Build(steps, BtfFlavor.Any).Btf;
            byte[] written = built.ToBytes();
            var parsed = Btf.Parse(written, null, "generated");
            parsed.ToBytes().ShouldBe(written);
            RawDump(parsed).ShouldBe(RawDump(built));
        }), maxTest: 300);

    [Test]
    public void DedupIsIdempotent()
        => Check(Prop.ForAll(GeneratedBtf.Steps(BtfFlavor.Any), steps =>
        {
            // The graph twice over, so the first dedup has duplicates to merge.
            var built = GeneratedBtf.Build(steps, BtfFlavor.Any).Btf;
            GeneratedBtf.Build(steps, BtfFlavor.Any, into: built);
            byte[] once = Dedup(built.ToBytes());
            Dedup(once).ShouldBe(once);
        }), maxTest: 200);

    [Test]
    public void DedupOfAGraphTwiceOverIsDedupOfTheGraph()
        => Check(Prop.ForAll(GeneratedBtf.Steps(BtfFlavor.CLayout), steps =>
        {
            var single = GeneratedBtf.Build(steps, BtfFlavor.CLayout).Btf;
            var twice = GeneratedBtf.Build(steps, BtfFlavor.CLayout).Btf;
            GeneratedBtf.Build(steps, BtfFlavor.CLayout, into: twice);
            var a = Btf.Parse(Dedup(single.ToBytes()), null, "single");
            var b = Btf.Parse(Dedup(twice.ToBytes()), null, "twice");
            RawDump(b).ShouldBe(RawDump(a));
        }), maxTest: 200);

    private static byte[] Dedup(byte[] raw) => BtfDeduplicator.Run(BtfTypeTable.Parse(raw, "generated")).ToBytes();

    /// <summary>
    /// The C header the dumper writes for a generated graph compiles (clang-19, BPF target) and clang lays the types
    /// out as BTF says: sizeof every named struct, union, enum and typedef, offsetof every member of a named struct
    /// or union. Ten graphs share one translation unit (names are prefixed), so a run costs ten clang invocations.
    /// </summary>
    [Test]
    public void CHeaderCompiledByClangHasTheBtfLayout()
        => Check(Prop.ForAll(GeneratedBtf.Batches(BtfFlavor.CLayout, graphs: 10), CheckCLayout), maxTest: 10);

    /// <summary>Graphs a property run once falsified (the steps as FsCheck prints them), kept as regressions.</summary>
    [TestCase("(5,1411565838); (1,401999150); (6,1695154044); (4,973397168); (0,465466438); (2,1790450151); (2,552834809); (4,307077778)")]
    public void CHeaderOfAFormerCounterexampleHasTheBtfLayout(string steps)
        => CheckCLayout([BtfStep.ParseList(steps)]);

    private static void CheckCLayout(BtfStep[][] batch)
    {
        var source = new StringBuilder();
        var asserts = new StringBuilder();
        var raw = new StringBuilder();
        for (int g = 0; g < batch.Length; g++)
        {
            var built = GeneratedBtf.Build(batch[g], BtfFlavor.CLayout, prefix: $"g{g}_");
            var btf = Btf.Parse(built.Btf.ToBytes(), null, $"graph{g}");
            var header = new StringWriter();
            BtfCDumper.Dump(btf, header);
            raw.Append(RawDump(btf));
            source.Append(header).Append("#undef __VMLINUX_H__\n");
            foreach (var (id, cName) in built.NamedCompleteTypes)
            {
                asserts.Append($"_Static_assert(sizeof({cName}) == {btf.ResolveSize(id)}, \"sizeof {cName}\");\n");
                var t = btf[id];
                if (!t.IsStructOrUnion)
                    continue;
                foreach (var m in t.Members)
                    asserts.Append($"_Static_assert(__builtin_offsetof({cName}, {m.Name}) == {m.BitOffset / 8}, \"offsetof {cName}.{m.Name}\");\n");
            }
        }
        source.Append(asserts);
        var (exit, output) = CompileC(source.ToString());
        exit.ShouldBe(0, $"clang-19 rejected the dump or a layout differs:\n{output}\n--- source ---\n{source}\n--- BTF ---\n{raw}");
    }

    private static (int Exit, string Output) CompileC(string source)
    {
        var psi = new ProcessStartInfo("clang-19", "-target bpf -fsyntax-only -Wno-everything -x c -")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEndAsync();
        p.StandardInput.Write(source);
        p.StandardInput.Close();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result + stderr.Result);
    }
}
