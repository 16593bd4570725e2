using BpfLoader.Cli;
using NUnit.Framework;
using Shouldly;

namespace BpfTests.Linker;

/// <summary>The <c>gen object OUTPUT INPUT...</c> command: bpftool's argument shape, output and error lines.</summary>
[NonParallelizable]
public class GenObjectCommandTests
{
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = CommandLine.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Test]
    public void LinksLikeTheLibraryCall()
    {
        string output = Path.Combine(LinkerParts.Scratch(), "test_subskeleton_lib.o");
        var (code, _, err) = Run("gen", "object", output, LinkerParts.Part("test_subskeleton_lib2"), LinkerParts.Part("test_subskeleton_lib"));
        code.ShouldBe(CommandLine.Ok, err);
        File.ReadAllBytes(output).ShouldBe(File.ReadAllBytes(LinkerParts.Link("test_subskeleton_lib", "test_subskeleton_lib2", "test_subskeleton_lib")));
    }

    [Test]
    public void FailureNamesTheInputLikeBpftool()
    {
        string output = Path.Combine(LinkerParts.Scratch(), "out.o");
        string part = LinkerParts.Part("static_linked1");
        var (code, _, err) = Run("gen", "object", output, part, part);
        code.ShouldBe(CommandLine.Failed);
        err.ShouldBe($"libbpf: conflicting non-weak symbol #17 (handler1) definition in '{part}'\nError: failed to link '{part}': Invalid argument (22)\n");
        File.Exists(output).ShouldBeFalse();
    }

    [Test]
    public void NeedsAnOutputAndAnInput()
    {
        var (code, _, err) = Run("gen", "object", "only-output.o");
        code.ShouldBe(CommandLine.Usage);
        err.ShouldContain("'object' needs at least 2 arguments, 1 found");
    }
}
