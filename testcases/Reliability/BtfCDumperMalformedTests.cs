using System.Diagnostics;
using BpfHarness;
using BpfLoader.Btf;
using BpfLoader.BtfDump;
using BpfLoader.Diagnostics;
using NUnit.Framework;
using Shouldly;
using BtfData = BpfLoader.Btf.Btf;

namespace BpfTests.Reliability;

/// <summary>
/// The C header dumper on malformed BTF (issue 17): cycles, zero and absurd sizes end in a typed error or a
/// header, never a stack overflow, a division by zero or unbounded memory. Where bpftool reports
/// <c>unsatisfiable type cycle</c>, so does the dumper.
/// </summary>
public class BtfCDumperMalformedTests
{
    private static BtfData Parsed(BtfData built) => BtfData.Parse(built.ToBytes(), null, "malformed");

    private static (BpfException Error, string Log) DumpFails(BtfData btf)
    {
        LogCapture.Start().ShouldBe(0);
        try
        {
            var ex = Should.Throw<BpfException>(() => BtfCDumper.Dump(btf, TextWriter.Null));
            return (ex, LogCapture.Stop() ?? "");
        }
        finally
        {
            LogCapture.Stop();
        }
    }

    [Test]
    public void PointerCycleIsAnUnsatisfiableCycle()
    {
        var b = BtfData.CreateEmpty();
        b.AddPtr(2);
        b.AddPtr(1);
        var (ex, log) = DumpFails(Parsed(b));
        ex.Error.ShouldBe(-Errno.ELOOP);
        log.ShouldContain("libbpf: unsatisfiable type cycle, id:[");
    }

    [Test]
    public void TypedefAndTypeTagCyclesAreUnsatisfiable()
    {
        var b = BtfData.CreateEmpty();
        b.AddTypedef("a_t", 2);
        b.AddTypedef("b_t", 1);
        DumpFails(Parsed(b)).Error.Error.ShouldBe(-Errno.ELOOP);

        var tags = BtfData.CreateEmpty();
        tags.AddTypeTag("x", 2);
        tags.AddTypeTag("y", 1);
        DumpFails(Parsed(tags)).Error.Error.ShouldBe(-Errno.ELOOP);
    }

    [Test]
    public void AnonymousStructPointingToItselfIsUnsatisfiable()
    {
        // Written inline, an anonymous struct that contains a pointer to itself would never end.
        var b = BtfData.CreateEmpty();
        b.AddStruct(null, 8, [new BtfMemberSpec("self", 2, 0)]);
        b.AddPtr(1);
        DumpFails(Parsed(b)).Error.Error.ShouldBe(-Errno.ELOOP);
    }

    [Test]
    public void NamedStructThroughAPointerIsFine()
    {
        var b = BtfData.CreateEmpty();
        int node = b.AddStruct("node", 8, [new BtfMemberSpec("next", 2, 0)]);
        b.AddPtr(node);
        var text = new StringWriter();
        BtfCDumper.Dump(Parsed(b), text);
        text.ToString().ShouldContain("struct node {\n\tstruct node *next;\n};");
    }

    [Test]
    public void StructContainingItselfByValueIsReportedLikeBpftool()
    {
        var b = BtfData.CreateEmpty();
        int i = b.AddInt("int", 4, BtfIntEncoding.Signed);
        b.AddStruct("loop", 8, [new BtfMemberSpec("x", i, 0), new BtfMemberSpec("again", 2, 32)]);
        var bytes = b.ToBytes();
        var (ex, log) = DumpFails(BtfData.Parse(bytes, null, "loop"));
        ex.Error.ShouldBe(-Errno.ELOOP);
        log.ShouldBe("libbpf: unsatisfiable type cycle, id:[2]\n");

        if (!File.Exists("/usr/sbin/bpftool"))
            Assert.Ignore("bpftool is not installed: the comparison with it is skipped");
        string path = Path.Combine(Path.GetTempPath(), $"bpftests-loop-{Environment.ProcessId}.btf");
        File.WriteAllBytes(path, bytes);
        try
        {
            var psi = new ProcessStartInfo("/usr/sbin/bpftool", ["btf", "dump", "file", path, "format", "c"]) { RedirectStandardOutput = true, RedirectStandardError = true };
            using var p = Process.Start(psi)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            string stderr = p.StandardError.ReadToEnd();
            p.WaitForExit();
            stderr.ShouldContain("unsatisfiable type cycle, id:[2]");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void StructOfZeroAlignmentDoesNotDivideByZero()
    {
        // A struct whose only member is a function prototype has alignment 0: padding used to divide by it.
        var b = BtfData.CreateEmpty();
        int proto = b.AddFuncProto(0, []);
        b.AddStruct("odd", 16, [new BtfMemberSpec("f", proto, 0)]);
        var text = new StringWriter();
        BtfCDumper.Dump(Parsed(b), text);
        text.ToString().ShouldContain("struct odd {");
    }

    [Test]
    public void AbsurdStructSizeIsRefusedInsteadOfGrowingMemory()
    {
        var b = BtfData.CreateEmpty();
        int i = b.AddInt("int", 4, BtfIntEncoding.Signed);
        b.AddStruct("huge", 0xfffffff0, [new BtfMemberSpec("x", i, 0)]);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var (ex, _) = DumpFails(Parsed(b));
        ex.Error.ShouldBe(-Errno.E2BIG);
        (GC.GetAllocatedBytesForCurrentThread() - before).ShouldBeLessThan(256L << 20);
    }

    [Test]
    public void DeepAcyclicChainIsRefusedBeforeTheStackIs()
    {
        // Each pointer refers to the one before it, so a visit in id order never sees the whole chain at once.
        var b = BtfData.CreateEmpty();
        int prev = b.AddInt("int", 4, BtfIntEncoding.Signed);
        for (int n = 0; n < 100_000; n++)
            prev = b.AddPtr(prev);
        b.AddTypedef("deep_t", prev);
        DumpFails(Parsed(b)).Error.Error.ShouldBe(-Errno.E2BIG);
    }
}
