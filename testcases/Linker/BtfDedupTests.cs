using BpfHarness.Gates;
using BpfLoader.Btf;
using BpfLoader.Btf.Dedup;
using NUnit.Framework;
using BtfBlob = BpfLoader.Btf.Btf;
using Shouldly;

namespace BpfTests.Linker;

/// <summary>
/// Our BTF dedup: byte-identical to libbpf.so.1's <c>btf__dedup</c> on the merged BTF of all progs/ objects and
/// on vmlinux, idempotent, deterministic, and right on the textbook cases (FWD resolved to the struct, forward
/// enum to the full enum, duplicate struct graphs merged, ambiguous forwards left alone).
/// </summary>
public class BtfDedupTests
{
    private static BtfTypeTable AllProgs()
        => BpfLoader.Linker.ObjectsBtf.Concatenate(Progs.All().Concat(Directory.EnumerateFiles(Path.Combine(Progs.Directory, "compat"), "*.bpf.o").Order(StringComparer.Ordinal)));

    [Test]
    public void MergedProgsBtfDedupsExactlyAsLibbpf()
    {
        Gate.RequireFeature(LibbpfDedup.Available, "libbpf.so.1", "the reference btf__dedup");
        var input = AllProgs();
        byte[] raw = input.ToBytes();
        var ours = BtfDeduplicator.Run(input).ToBytes();
        ours.SequenceEqual(LibbpfDedup.Dedup(raw)).ShouldBeTrue("byte-identical to libbpf's btf__dedup");
        BtfTypeTable.Parse(ours, "deduped").TypeCount.ShouldBeLessThan(BtfTypeTable.Parse(raw, "merged").TypeCount / 2);
    }

    [Test]
    public void VmlinuxDedupsExactlyAsLibbpf()
    {
        Gate.RequireFeature(LibbpfDedup.Available, "libbpf.so.1", "the reference btf__dedup");
        byte[] raw = File.ReadAllBytes(BtfBlob.VmlinuxPath);
        BtfDeduplicator.Run(BtfTypeTable.Parse(raw, "vmlinux")).ToBytes().SequenceEqual(LibbpfDedup.Dedup(raw)).ShouldBeTrue("byte-identical to libbpf's btf__dedup");
    }

    [Test]
    public void DedupIsIdempotentAndDeterministic()
    {
        var once = BtfDeduplicator.Run(AllProgs()).ToBytes();
        BtfDeduplicator.Run(AllProgs()).ToBytes().SequenceEqual(once).ShouldBeTrue("same input, same bytes");
        // The first pass keeps strings only the dropped duplicates used (its string phase runs before the type
        // phases, as libbpf's); a second pass drops them but changes no type, and a third changes nothing.
        var twice = BtfDeduplicator.Run(BtfTypeTable.Parse(once, "once"));
        twice.TypeCount.ShouldBe(BtfTypeTable.Parse(once, "once").TypeCount);
        var thrice = BtfDeduplicator.Run(BtfTypeTable.Parse(twice.ToBytes(), "twice")).ToBytes();
        thrice.SequenceEqual(twice.ToBytes()).ShouldBeTrue("dedup of deduplicated BTF is the identity");
    }

    [Test]
    public void ForwardDeclarationResolvesToTheStructAcrossCompilationUnits()
    {
        // CU 1: struct s { struct s *next; int v; }; CU 2: struct s; struct holder { struct s *p; }
        var cu1 = BtfBlob.CreateEmpty();
        int i1 = cu1.AddInt("int", 4, BtfIntEncoding.Signed);
        int s1 = cu1.AddStruct("s", 16, [new("next", i1 + 2, 0), new("v", i1, 64)]);
        cu1.AddPtr(s1);
        var cu2 = BtfBlob.CreateEmpty();
        int fwd = cu2.AddFwd("s");
        int p2 = cu2.AddPtr(fwd);
        cu2.AddStruct("holder", 8, [new("p", p2, 0)]);
        var result = Dedup(cu1, cu2);
        Dump(result).ShouldBe([
            "INT 'int'", "STRUCT 's' -> [3] [1]", "PTR '' -> [2]", "STRUCT 'holder' -> [3]",
        ]);
    }

    [Test]
    public void ForwardEnumResolvesToTheFullEnum()
    {
        var cu1 = BtfBlob.CreateEmpty();
        cu1.AddEnum("e", 4, false, []);
        var cu2 = BtfBlob.CreateEmpty();
        cu2.AddEnum("e", 4, false, [new("A", 1)]);
        Dump(Dedup(cu1, cu2)).ShouldBe(["ENUM 'e'"]);
    }

    [Test]
    public void AmbiguousForwardIsLeftAlone()
    {
        var cu1 = BtfBlob.CreateEmpty();
        int i = cu1.AddInt("int", 4, BtfIntEncoding.Signed);
        cu1.AddStruct("s", 4, [new("a", i, 0)]);
        var cu2 = BtfBlob.CreateEmpty();
        int l = cu2.AddInt("long", 8, BtfIntEncoding.Signed);
        cu2.AddStruct("s", 8, [new("b", l, 0)]);
        var cu3 = BtfBlob.CreateEmpty();
        cu3.AddPtr(cu3.AddFwd("s"));
        Dump(Dedup(cu1, cu2, cu3)).ShouldBe([
            "INT 'int'", "STRUCT 's' -> [1]", "INT 'long'", "STRUCT 's' -> [3]", "FWD 's'", "PTR '' -> [5]",
        ]);
    }

    [Test]
    public void VarsAreNeverMerged()
    {
        var cu1 = BtfBlob.CreateEmpty();
        cu1.AddVar("x", cu1.AddInt("int", 4, BtfIntEncoding.Signed), BtfVarLinkage.Static);
        var cu2 = BtfBlob.CreateEmpty();
        cu2.AddVar("x", cu2.AddInt("int", 4, BtfIntEncoding.Signed), BtfVarLinkage.Static);
        Dump(Dedup(cu1, cu2)).ShouldBe(["INT 'int'", "VAR 'x' -> [1]", "VAR 'x' -> [1]"]);
    }

    private static BtfTypeTable Dedup(params BtfBlob[] units)
    {
        var merged = BtfConcatenation.Concatenate(units.Select(u => BtfTypeTable.Parse(u.ToBytes(), "cu")));
        var ours = BtfDeduplicator.Run(merged);
        if (LibbpfDedup.Available)
            ours.ToBytes().SequenceEqual(LibbpfDedup.Dedup(BtfConcatenation.Concatenate(units.Select(u => BtfTypeTable.Parse(u.ToBytes(), "cu"))).ToBytes())).ShouldBeTrue("same as libbpf");
        return ours;
    }

    private static List<string> Dump(BtfTypeTable t)
        => Enumerable.Range(1, t.TypeCount - 1).Select(id =>
        {
            var refs = BtfTypeSlots.TypeIdSlots(t.Kind(id), t.Vlen(id));
            var rec = t.Record(id);
            string text = $"{BtfKinds.Name(t.Kind(id))} '{t.Name(id)}'";
            var targets = new List<string>();
            foreach (int slot in refs)
                targets.Add($"[{rec[slot]}]");
            return targets.Count == 0 ? text : $"{text} -> {string.Join(" ", targets)}";
        }).ToList();
}
