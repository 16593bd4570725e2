using BpfLoader.Diagnostics;
using BpfLoader.Linker;
using NUnit.Framework;
using Shouldly;

namespace BpfTests.Linker;

/// <summary>
/// Bad inputs: each refusal is a <see cref="BpfLinkException"/> whose text is libbpf's linker message word for
/// word (also printed as a libbpf WARN), with libbpf's errno, the input file and the symbol; the failed link
/// leaves no output file behind. Randomly corrupted objects give only typed errors.
/// </summary>
public class LinkerErrorTests
{
    private static string P(string name) => LinkerParts.Part(name);

    [Test]
    public void TwoStrongDefinitions()
    {
        var e = Fail([P("static_linked1"), P("static_linked1")]);
        e.LibbpfText.ShouldBe($"conflicting non-weak symbol #17 (handler1) definition in '{P("static_linked1")}'");
        e.Error.ShouldBe(-Errno.EINVAL);
        e.Symbol.ShouldBe("handler1");
        e.File.ShouldBe(P("static_linked1"));
    }

    [Test]
    public void ExternWithAnIncompatibleType()
    {
        var e = Fail([P("static_linked1"), P("neg_extern_size")]);
        e.LibbpfText.ShouldBe("global 'var1': incompatible int '(null)' size 4 and 8");
        e.Error.ShouldBe(-Errno.EINVAL);
        e.Symbol.ShouldBe("var1");
        e.File.ShouldBe(P("neg_extern_size"));
        e.Message.ShouldContain(P("neg_extern_size"), Case.Sensitive, "the exception names the file libbpf's text does not");
    }

    [Test]
    public void MapDefinitionMismatch()
    {
        var e = Fail([P("test_subskeleton_lib2"), P("neg_map_mismatch")]);
        e.LibbpfText.ShouldBe("global 'map2': map max_entries mismatch");
        e.Symbol.ShouldBe("map2");
    }

    [Test]
    public void DifferentLicenses()
    {
        var e = Fail([P("static_linked1"), P("neg_license")]);
        e.LibbpfText.ShouldBe("non-identical contents of section 'license' are not supported");
        e.Error.ShouldBe(-Errno.EINVAL);
    }

    [Test]
    public void GlobalDefinitionWithoutBtf()
    {
        var e = Fail([P("neg_nobtf")]);
        e.LibbpfText.ShouldBe($"failed to find BTF info for object '{P("neg_nobtf")}'");
        e.Error.ShouldBe(-Errno.EINVAL);
    }

    [Test]
    public void ExternWithoutBtf()
    {
        var e = Fail([P("neg_nobtf_extern")]);
        e.LibbpfText.ShouldBe("externs without BTF info are not supported");
        e.Error.ShouldBe(-Errno.EOPNOTSUPP);
    }

    [Test]
    public void NonBpfElf()
    {
        string host = Environment.ProcessPath!;   // the dotnet host: an x86-64/arm64 executable, not a BPF object
        var e = Fail([host]);
        e.LibbpfText.ShouldStartWith($"unsupported kind of ELF file {host}: ");
        e.Error.ShouldBe(-Errno.EOPNOTSUPP);
    }

    [Test]
    public void NotAnElfFile()
    {
        string garbage = Path.Combine(LinkerParts.Scratch(), "garbage.o");
        File.WriteAllText(garbage, "this is not an ELF object, just text long enough to fill an ELF header........");
        var e = Fail([garbage]);
        e.LibbpfText.ShouldStartWith($"failed to get ELF header for {garbage}: ");
        e.Error.ShouldBe(-Errno.EINVAL);
    }

    [Test]
    public void TruncatedObject()
    {
        string truncated = Path.Combine(LinkerParts.Scratch(), "truncated.o");
        File.WriteAllBytes(truncated, File.ReadAllBytes(P("static_linked1"))[..300]);
        var e = Fail([truncated]);
        e.LibbpfText.ShouldStartWith($"failed to parse ELF file '{truncated}': ");
    }

    [Test]
    public void MissingInput()
    {
        string missing = Path.Combine(LinkerParts.Scratch(), "missing.o");
        var e = Fail([missing]);
        e.LibbpfText.ShouldBe($"failed to open file '{missing}': -ENOENT");
        e.Error.ShouldBe(-Errno.ENOENT);
    }

    [Test]
    public void FailedLinkWritesNoOutputAndKeepsAnOldOne()
    {
        string dir = LinkerParts.Scratch();
        string output = Path.Combine(dir, "out.o");
        Should.Throw<BpfLinkException>(() => BpfLinker.LinkFiles(output, [P("static_linked1"), P("static_linked1")]));
        File.Exists(output).ShouldBeFalse();
        File.WriteAllText(output, "previous");
        Should.Throw<BpfLinkException>(() => BpfLinker.LinkFiles(output, [P("static_linked1"), P("neg_license")]));
        File.ReadAllText(output).ShouldBe("previous");
        Directory.GetFiles(dir).ShouldBe([output], "no temporary file is left behind");
    }

    [Test]
    public void WarnIsPrintedThroughTheLibbpfHook()
    {
        var lines = new List<string>();
        var previous = LibbpfLog.SetPrint((level, text) => lines.Add($"{level}: {text}"));
        try
        {
            Should.Throw<BpfLinkException>(() => BpfLinker.Link([P("test_subskeleton_lib2"), P("neg_map_mismatch")]));
        }
        finally
        {
            LibbpfLog.SetPrint(previous);
        }
        lines.ShouldContain("Warn: libbpf: global 'map2': map max_entries mismatch\n");
    }

    [Test]
    public void CorruptedObjectsGiveOnlyTypedErrors()
    {
        var original = File.ReadAllBytes(P("test_subskeleton_lib"));
        var random = new Random(1234);
        string dir = LinkerParts.Scratch();
        int failures = 0;
        for (int round = 0; round < 400; round++)
        {
            var bytes = (byte[])original.Clone();
            int flips = 1 + random.Next(8);
            for (int i = 0; i < flips; i++)
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            string path = Path.Combine(dir, $"fuzz{round}.o");
            File.WriteAllBytes(path, bytes);
            try
            {
                BpfLinker.Link([path]);
            }
            catch (BpfException)
            {
                failures++;
            }
            catch (Exception e)
            {
                Assert.Fail($"round {round}: {e.GetType().Name}: {e.Message}\n{e.StackTrace}");
            }
        }
        failures.ShouldBeGreaterThan(0, "some corruptions must be detected");
    }

    private static BpfLinkException Fail(string[] inputs)
    {
        var previous = LibbpfLog.SetPrint(null);
        try
        {
            return Should.Throw<BpfLinkException>(() => BpfLinker.Link(inputs));
        }
        finally
        {
            LibbpfLog.SetPrint(previous);
        }
    }
}
