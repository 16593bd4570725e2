using System.Text;
using BpfLoader.Externs;
using NUnit.Framework;
using Shouldly;

namespace BpfTests.Reliability;

/// <summary>
/// The allocation-free /proc/kallsyms reader that replaced per-line string splitting (fuzz finding: ~50 MB per load
/// of an object with an untyped ksym; fixture <c>open+load__linked_ref_linked_vars_o__eb4b64b5a5ee</c>).
/// </summary>
public class KallsymsTests
{
    [TestCase("ffffffff81000000 T _stext", 0xffffffff81000000ul, 'T', "_stext")]
    [TestCase("ffffffffc0a01000 t bpf_testmod_fentry_test1\t[bpf_testmod]", 0xffffffffc0a01000ul, 't', "bpf_testmod_fentry_test1")]
    [TestCase("0000000000000000 d bpf_prog_active.llvm.123", 0ul, 'd', "bpf_prog_active.llvm.123")]
    public void ALineSplitsIntoAddressTypeAndName(string line, ulong address, char type, string name)
    {
        Kallsyms.TryParseLine(Encoding.ASCII.GetBytes(line), out ulong a, out byte t, out var n).ShouldBeTrue();
        a.ShouldBe(address);
        ((char)t).ShouldBe(type);
        Encoding.ASCII.GetString(n).ShouldBe(name);
    }

    [TestCase("")]
    [TestCase("zzzz T name")]
    [TestCase("ffffffff81000000 TT name")]
    [TestCase("ffffffff81000000 T")]
    public void AMalformedLineIsSkipped(string line)
        => Kallsyms.TryParseLine(Encoding.ASCII.GetBytes(line), out _, out _, out _).ShouldBeFalse();

    [Test]
    public void TheWholeFileIsReadAcrossBufferBoundariesWithoutPerLineGarbage()
    {
        // A file of 200,000 lines (several 64 KiB buffers) whose last line has no newline.
        string path = Path.Combine(TestContext.CurrentContext.WorkDirectory, $"kallsyms-{Environment.ProcessId}");
        var text = new StringBuilder();
        for (int i = 0; i < 200_000; i++)
            text.Append($"{0xffffffff81000000ul + (ulong)i:x16} T symbol_{i}").Append(i == 199_999 ? "" : "\n");
        File.WriteAllText(path, text.ToString());
        try
        {
            int count = 0;
            ulong last = 0;
            string? lastName = null;
            Kallsyms.Read(path, (_, _, _) => { }); // warm the JIT and the buffer pool
            long before = GC.GetAllocatedBytesForCurrentThread();
            Kallsyms.Read(path, (address, _, name) =>
            {
                count++;
                last = address;
                if (count == 200_000)
                    lastName = Encoding.ASCII.GetString(name);
            });
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            count.ShouldBe(200_000);
            last.ShouldBe(0xffffffff81000000ul + 199_999);
            lastName.ShouldBe("symbol_199999");
            allocated.ShouldBeLessThan(64 * 1024, "no allocation per line");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
