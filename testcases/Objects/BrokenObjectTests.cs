using System.Buffers.Binary;
using BpfHarness;
using BpfLoader.Diagnostics;
using BpfLoader.Elf;
using BpfLoader.Objects;
using NUnit.Framework;
using Shouldly;

namespace BpfTests.Objects;

/// <summary>Malformed objects give a typed exception naming the object and the cause, plus a libbpf WARN line; never a crash.</summary>
public class BrokenObjectTests
{
    private static byte[] Minimal() => File.ReadAllBytes(Progs.Path("minimal"));

    private static (BpfException Error, string Log) OpenAndLoad(byte[] bytes, string name)
    {
        LogCapture.Start().ShouldBe(0);
        try
        {
            var ex = Should.Throw<BpfException>(() =>
            {
                using var obj = BpfObject.Open(bytes, name);
                obj.Load();
            });
            return (ex, LogCapture.Stop() ?? "");
        }
        finally
        {
            LogCapture.Stop();
        }
    }

    [Test]
    public void TruncatedFileNamesObjectAndSize()
    {
        var (ex, log) = OpenAndLoad(Minimal()[..40], "truncated");
        ex.ShouldBeOfType<BpfFormatException>();
        ex.Message.ShouldBe("elf: object 'truncated': file is truncated (40 bytes, an ELF header needs 64)");
        ex.Error.ShouldBe(-Errno.EINVAL);
        log.ShouldBe("libbpf: elf: object 'truncated': file is truncated (40 bytes, an ELF header needs 64)\n");
    }

    [Test]
    public void GarbageIsNotAnElfFile()
    {
        var garbage = new byte[4096];
        new Random(1).NextBytes(garbage);
        var (ex, _) = OpenAndLoad(garbage, "garbage");
        ex.Message.ShouldBe("elf: object 'garbage': not an ELF file (bad magic)");
    }

    [Test]
    public void NativeExecutableIsNotABpfObject()
    {
        var (ex, _) = OpenAndLoad(File.ReadAllBytes("/bin/true"), "true");
        ex.Message.ShouldStartWith("elf: object 'true': not a ");
    }

    [Test]
    public void SectionTableBeyondTheFileIsReported()
    {
        var bytes = Minimal();
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(40), (ulong)bytes.Length - 8); // e_shoff near the end
        var (ex, _) = OpenAndLoad(bytes, "badshoff");
        ex.Message.ShouldContain("section header table");
        ex.Message.ShouldContain("lies outside the file");
    }

    [Test]
    public void CorruptBtfIsReportedWithTheObjectName()
    {
        var bytes = Minimal();
        var elf = ElfFile.Parse(bytes, "x");
        var btf = elf.FindSection(".BTF")!;
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan((int)btf.Offset + 16), 0x7fff0000); // str_off far past the end
        var (ex, _) = OpenAndLoad(bytes, "badbtf");
        ex.ShouldBeOfType<BpfFormatException>();
        ex.Message.ShouldContain("badbtf");
    }

    [Test]
    public void UnknownSectionFailsAtLoadWithLibbpfMessages()
    {
        var bytes = RenameSection(Minimal(), "raw_tp/sys_enter", "nonsense/abcdefg");
        var (ex, log) = OpenAndLoad(bytes, "unknown_sec");
        ex.Error.ShouldBe(-Errno.EINVAL);
        log.ShouldContain("libbpf: prog 'count_syscalls': missing BPF prog type, check ELF section name 'nonsense/abcdefg'\n");
        log.ShouldContain("libbpf: prog 'count_syscalls': failed to load: -EINVAL\n");
        log.ShouldEndWith("libbpf: failed to load object 'unknown_sec'\n");
    }

    [Test]
    public void RelocationAgainstAMissingMapNamesProgramAndSymbol()
    {
        // Point the program's map relocation at the 'license' section's symbol: no map lives there.
        var bytes = File.ReadAllBytes(Progs.Path("rejected"));
        var elf = ElfFile.Parse(bytes, "x");
        var license = elf.Symbols.First(s => s.Name == "LICENSE");
        var relSec = elf.Sections.First(s => s.Name == ".reltc");
        long entry = (long)relSec.Offset; // first relocation of section 'tc': the ld_imm64 of map 'values'
        ulong info = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan((int)entry + 8));
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan((int)entry + 8), ((ulong)license.Index << 32) | (info & 0xffffffff));
        var (ex, log) = OpenAndLoad(bytes, "badrelo");
        ex.Message.ShouldBe("object 'badrelo': prog 'unchecked_lookup': bad data relo against 'LICENSE' in section 'license': no map for that section");
        log.ShouldContain("libbpf: prog 'unchecked_lookup': bad data relo against 'LICENSE'");
    }

    [TestCase("minimal", 400)]
    [TestCase("calls", 300)]
    [TestCase("maps", 300)]
    [TestCase("tcp_ca", 200)]
    public void RandomCorruptionNeverEscapesAsAnotherException(string name, int iterations)
    {
        var original = File.ReadAllBytes(Progs.Path(name));
        var random = new Random(20261122);
        int opened = 0, refused = 0;
        LibbpfLog.PrintFn? previous = LibbpfLog.SetPrint(null); // thousands of WARN lines would drown the test log
        try
        {
            for (int i = 0; i < iterations; i++)
            {
                var bytes = (byte[])original.Clone();
                for (int j = 0; j < 8; j++)
                    bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                try
                {
                    using var obj = BpfObject.Open(bytes, $"fuzz{i}");
                    opened++;
                    obj.Load();
                }
                catch (BpfException)
                {
                    refused++;
                }
            }
        }
        finally
        {
            LibbpfLog.SetPrint(previous);
        }
        (opened + refused).ShouldBeGreaterThanOrEqualTo(iterations, "every corrupted object either opened or was refused with a BpfException");
        refused.ShouldBeGreaterThan(0, "corruption is noticed");
    }

    /// <summary>Renames a section in place inside the section-name string table (every occurrence, so the rel section follows).</summary>
    private static byte[] RenameSection(byte[] bytes, string from, string to)
    {
        from.Length.ShouldBe(to.Length, "in-place rename keeps the string table layout");
        var elf = ElfFile.Parse(bytes, "x");
        var names = elf.Sections.First(s => s.Type == ElfConstants.ShtStrtab && s.Name == ".strtab");
        var table = bytes.AsSpan((int)names.Offset, (int)names.Size);
        var needle = System.Text.Encoding.ASCII.GetBytes(from);
        int replaced = 0;
        for (int at = table.IndexOf(needle); at >= 0; at = table.IndexOf(needle))
        {
            System.Text.Encoding.ASCII.GetBytes(to).CopyTo(table[at..]);
            replaced++;
        }
        replaced.ShouldBeGreaterThan(0);
        return bytes;
    }
}
