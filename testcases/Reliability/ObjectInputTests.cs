using System.Buffers.Binary;
using BpfLoader.Cli;
using BpfLoader.Diagnostics;
using BpfLoader.Elf;
using BpfLoader.Objects;
using BpfLoader.StructOps;
using NUnit.Framework;
using Shouldly;

namespace BpfTests.Reliability;

/// <summary>
/// Issue 17's input defects: files that change after open, directories given as objects, crafted relocation
/// tables, struct_ops used out of order. Each ends in a typed <see cref="BpfException"/>, never a crash.
/// </summary>
public class ObjectInputTests
{
    private string _dir = "";

    [SetUp]
    public void CreateDirectory() => _dir = Directory.CreateTempSubdirectory("bpftests-input-").FullName;

    [TearDown]
    public void RemoveDirectory() => Directory.Delete(_dir, recursive: true);

    [TestCase(0)]
    [TestCase(100)]
    public void ObjectTruncatedAfterOpenStillLoads(int keptBytes)
    {
        string path = Path.Combine(_dir, "minimal.bpf.o");
        File.Copy(Progs.Path("minimal"), path);
        using var obj = BpfObject.Open(path);
        // Truncating a file that is still memory-mapped turns later reads into SIGBUS: libbpf reads at open.
        using (var f = new FileStream(path, FileMode.Open, FileAccess.Write))
            f.SetLength(keptBytes);
        obj.Load();
        obj.Programs.ShouldAllBe(p => p.Fd > 0);
    }

    [Test]
    public void ObjectOverwrittenAfterOpenLoadsWhatWasOpened()
    {
        string path = Path.Combine(_dir, "global_data.bpf.o");
        File.Copy(Progs.Path("global_data"), path);
        using var obj = BpfObject.Open(path);
        File.WriteAllBytes(path, new byte[new FileInfo(path).Length]); // same size, all zeroes
        obj.Load();
        obj.Maps.First(m => m.SectionName == ".data").Data[0].ShouldBe((byte)42);
    }

    [Test]
    public void DirectoryAsObjectPathIsLibelfErrorEverywhere()
    {
        // libbpf: open() of a directory succeeds, elf_begin() fails: -LIBBPF_ERRNO__LIBELF (-4000).
        var ex = Should.Throw<BpfException>(() => BpfObject.Open(_dir));
        ex.Error.ShouldBe(-Errno.LibbpfLibelf);
        ex.Message.ShouldContain("is a directory");
        foreach (var args in new[] { new[] { "object", "show", _dir }, ["prog", "loadall", _dir, "/sys/fs/bpf/bpftests_dir_obj"] })
        {
            var error = new StringWriter();
            CommandLine.Run(args, new StringWriter(), error).ShouldNotBe(0);
            error.ToString().ShouldContain("is a directory (-4000)");
        }
        // bpftool btf dump reads a directory as raw BTF first, and btf__parse reports the failed read as -EIO.
        var btfError = new StringWriter();
        CommandLine.Run(["btf", "dump", "file", _dir], new StringWriter(), btfError).ShouldNotBe(0);
        btfError.ToString().ShouldContain("is a directory (-EIO)");
    }

    [Test]
    public void AttachingStructOpsBeforeLoadSaysItIsNotLoaded()
    {
        using var obj = BpfObject.Open(Progs.Path("tcp_ca_plain"));
        var map = obj.Maps.First(m => m.StructOps is not null && m.AutoCreate);
        var ex = Should.Throw<BpfException>(() => map.AttachStructOps());
        ex.Message.ShouldContain("before its object 'tcp_ca_plain' is loaded");
        ex.Message.ShouldNotContain("failed to update struct_ops value");
    }

    [TestCase("maps", ".rel.maps")]
    [TestCase("tcp_ca_plain", ".rel.struct_ops")]
    [TestCase("minimal", null)]
    public void RelocationSymbolIndexAbove2Pow31IsATypedError(string prog, string? relSection)
    {
        var bytes = File.ReadAllBytes(Progs.Path(prog));
        var elf = ElfFile.Parse(bytes, prog);
        var rel = relSection is not null
            ? elf.FindSection(relSection)!
            : elf.Sections.First(s => s.Type == ElfConstants.ShtRel && elf.Sections[(int)s.Info].IsExecutable);
        rel.Size.ShouldBeGreaterThan(0ul);
        // r_info = (sym << 32) | type: symbol 0x80000000 is negative as an int and slipped past a signed check.
        int at = (int)rel.Offset + 8;
        ulong info = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(at));
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(at), (0x80000000UL << 32) | (uint)info);
        var ex = Should.Throw<BpfException>(() =>
        {
            using var obj = BpfObject.Open(bytes, prog);
            obj.Load();
        });
        ex.Message.ShouldContain("refers to missing symbol #2147483648");
    }

    [Test]
    public void MapsVariableOffsetNear2Pow64IsATypedError()
    {
        var bytes = File.ReadAllBytes(Progs.Path("maps"));
        var elf = ElfFile.Parse(bytes, "maps");
        var maps = elf.FindSection(".maps")!;
        var sym = elf.Symbols.First(s => s.SectionIndex == maps.Index && s.Type == ElfConstants.SttObject);
        var symtab = elf.Sections[elf.SymbolTableIndex];
        // st_value = 2^64 - 8: offset + size wraps around to a small number.
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan((int)symtab.Offset + sym.Index * 24 + 8), ulong.MaxValue - 7);
        var ex = Should.Throw<BpfException>(() => BpfObject.Open(bytes, "maps").Dispose());
        ex.Message.ShouldContain($"map '{sym.Name}' BTF data is corrupted");
    }
}

/// <summary>Sizes an object declares but does not contain cost nothing until they are used.</summary>
public class DeclaredSizeTests
{
    [Test]
    public void HugeBssIsNotAllocatedAtOpen()
    {
        var bytes = File.ReadAllBytes(Progs.Path("global_data"));
        var elf = ElfFile.Parse(bytes, "global_data");
        var bss = elf.FindSection(".bss")!;
        // sh_size of the NOBITS .bss: 512 MiB that the file does not hold.
        ulong shoff = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(40));
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan((int)shoff + bss.Index * 64 + 32), 512UL << 20);
        long before = GC.GetAllocatedBytesForCurrentThread();
        using var obj = BpfObject.Open(bytes, "global_data");
        (GC.GetAllocatedBytesForCurrentThread() - before).ShouldBeLessThan(64L << 20);
        obj.Map(".bss").ValueSize.ShouldBe(512u << 20);
    }
}
