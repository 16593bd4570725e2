using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using BpfLoader.SkeletonGen;
using NUnit.Framework;

namespace BpfTests.Skeletons;

/// <summary>
/// Golden tests of the skeleton generator: the whole source it emits for objects with tricky BTF, checked in
/// under Skeletons/Golden/ and compared line by line, generated exactly as the build generates it (same
/// namespace, object embedded as a resource). A deliberate generator change regenerates the files with
/// <c>BPFTESTS_UPDATE_GOLDEN=1</c> and the diff shows in review. The objects are clang-19's output, so a
/// compiler change that moves BTF ids or sizes shows here too. One number is written as <c>SIZE</c>: the object
/// file's byte count, which depends on the build directory (DWARF records it; the guest suite's copy of the
/// objects is built elsewhere than the host suite's).
/// </summary>
public class SkeletonGoldenTests
{
    public const string UpdateVariable = "BPFTESTS_UPDATE_GOLDEN";

    // anonymous unions and structs, arrays of structs and of arrays, C# keywords, names that meet after PascalCase,
    // bitfields, padding, enums, pointers, 128-bit integers, a struct_ops shadow with padding and opaque members
    [TestCase("skeleton_types.bpf.o", SkeletonKind.Skeleton, "skeleton_types")]
    // .bss.* sections (one longer than a kernel map name), a user map clashing with .data, variables, struct
    // members, enumerators and programs named like members the generated classes already have
    [TestCase("skeleton_sections.bpf.o", SkeletonKind.Skeleton, "skeleton_sections")]
    // an arena map with __arena globals: the refusal stated in the source
    [TestCase("skeleton_arena.bpf.o", SkeletonKind.Skeleton, "skeleton_arena")]
    // a subskeleton of a linked library (weak, extern and kconfig variables)
    [TestCase("test_subskeleton_lib.linked.o", SkeletonKind.Subskeleton, "test_subskeleton_lib")]
    public void EmittedSourceEqualsGolden(string objectFile, SkeletonKind kind, string name)
    {
        string golden = GoldenPath($"{name}.{kind.ToString().ToLowerInvariant()}.cs.golden");
        if (!Directory.Exists(Path.GetDirectoryName(golden)))
            Assert.Ignore($"the golden files live in the source tree ({golden}); the host suite compares them");
        string path = Path.Combine(Progs.Directory, objectFile);
        string actual = WithoutObjectSize(SkeletonEmitter.Generate(new SkeletonRequest(File.ReadAllBytes(path), path, kind, name, "BpfTests.Skeletons",
            kind == SkeletonKind.Skeleton ? "BpfSkeleton/" + objectFile : null)));
        bool update = Environment.GetEnvironmentVariable(UpdateVariable) == "1";
        if (update && (!File.Exists(golden) || File.ReadAllText(golden) != actual))
        {
            File.WriteAllText(golden, actual);
            Assert.Warn($"{UpdateVariable}=1: rewrote {golden}");
            return;
        }
        Assert.That(File.Exists(golden), Is.True, $"{golden} is missing; create it with {UpdateVariable}=1");
        string? difference = FirstDifference(File.ReadAllText(golden), actual);
        Assert.That(difference, Is.Null, $"{Path.GetFileName(golden)}: {difference}\n(a deliberate change: rerun with {UpdateVariable}=1 and review the diff)");
    }

    private static string WithoutObjectSize(string source)
    {
        source = Regex.Replace(source, @"(EmbeddedObject\(typeof\(\w+\)\.Assembly, ElfResource, )\d+\)", "${1}SIZE)");
        return Regex.Replace(source, @"(The object file's bytes, verbatim \()\d+( bytes\))", "${1}SIZE${2}");
    }

    private static string GoldenPath(string file, [CallerFilePath] string source = "")
        => Path.Combine(Path.GetDirectoryName(source)!, "Golden", file);

    /// <summary>Null when equal, else the first differing line of each side.</summary>
    internal static string? FirstDifference(string expected, string actual)
    {
        if (expected == actual)
            return null;
        var e = expected.Split('\n');
        var a = actual.Split('\n');
        for (int i = 0; i < Math.Max(e.Length, a.Length); i++)
        {
            string? el = i < e.Length ? e[i] : null, al = i < a.Length ? a[i] : null;
            if (el != al)
                return $"line {i + 1} differs:\n  golden:    {el ?? "(end of file)"}\n  generated: {al ?? "(end of file)"}";
        }
        return "the files differ in line endings";
    }
}
