using BpfLoader.Btf;
using BpfLoader.Cli;
using BpfLoader.Objects;
using BpfLoader.SkeletonGen;
using NUnit.Framework;
using Shouldly;

namespace BpfTests.Skeletons;

/// <summary>
/// The skeleton generator: emitted source for tricky BTF (progs/skeleton_types.bpf.c), the struct_ops shadow
/// layout against bpftool's documented example, the CLI emitting what the build generates, refusals, and every
/// generated field offset compared with the object's BTF as the loader reads it.
/// </summary>
public class SkeletonGeneratorTests
{
    private static string Generate(string obj, SkeletonKind kind = SkeletonKind.Skeleton, string? name = null)
    {
        string path = obj.EndsWith(".o", StringComparison.Ordinal) ? Path.Combine(Progs.Directory, obj) : Progs.Path(obj);
        return SkeletonEmitter.Generate(new SkeletonRequest(File.ReadAllBytes(path), path, kind, name ?? obj, "BpfTests.Skeletons"));
    }

    [Test]
    public void TrickyTypesAreLaidOutAtTheirBtfOffsets()
    {
        string src = Generate("skeleton_types");
        // char c at 0, then 7 bytes of padding before long l at 8
        src.ShouldContain("public byte C { get => Section.Read<byte>(Offset + 0);");
        src.ShouldContain("public long L { get => Section.Read<long>(Offset + 8);");
        // the anonymous union and struct are flattened, as C reads them
        src.ShouldContain("public int AsInt { get => Section.Read<int>(Offset + 16);");
        src.ShouldContain("public global::BpfLoader.Skeletons.SkeletonArray<byte> AsBytes => new global::BpfLoader.Skeletons.SkeletonArray<byte>(Section, Offset + 16, 4);");
        src.ShouldContain("public int InnerB { get => Section.Read<int>(Offset + 24);");
        // an array of structs and an array of arrays
        src.ShouldContain("public global::BpfLoader.Skeletons.SkeletonViewArray<Types.Point> Pts => new global::BpfLoader.Skeletons.SkeletonViewArray<Types.Point>(Section, Offset + 28, 3, 4, static (s, o) => new Types.Point(s, o));");
        src.ShouldContain("SkeletonViewArray<global::BpfLoader.Skeletons.SkeletonArray<int>> Grid");
        // bitfields are read and written bit by bit, with a comment saying so
        src.ShouldContain("C <c>flag_a</c>: a bitfield of 1 bits at bit 512");
        src.ShouldContain("public int SignedBits { get => unchecked((int)Section.ReadBits(Offset, 516, 4, true));");
        // keywords and names that meet after PascalCase
        src.ShouldContain("public int Class {");
        src.ShouldContain("public int Event {");
        src.ShouldContain("public int FooBar {");
        src.ShouldContain("public int FooBar_2 {");
        src.ShouldContain("public int String {");
        // enums, pointers, function pointers, bool, char arrays, 128-bit integers
        src.ShouldContain("public enum Color : int");
        src.ShouldContain("BLUE = unchecked((int)(-1L)),");
        src.ShouldContain("public Types.Color Col {");
        src.ShouldContain("C <c>ptr</c> (pointer, as an integer).");
        src.ShouldContain("C <c>fn</c> (function pointer, as an integer).");
        src.ShouldContain("public bool Ok {");
        src.ShouldContain("public global::BpfLoader.Skeletons.SkeletonCharArray Name =>");
        src.ShouldContain("public global::System.Int128 Big {");
        // custom section with an array of structs; a .rodata enum
        src.ShouldContain("public DataPointsSection DataPoints");
        src.ShouldContain("public Types.Color RodataColor {");
    }

    [Test]
    public void StructOpsShadowMatchesBpftoolsLayout()
    {
        string src = Generate("skeleton_types");
        string[] expected =
        [
            "public global::BpfLoader.Programs.BpfProgram? Test1 { get => Shadow.GetProgram(0); set => Shadow.SetProgram(0, value); }",
            "public global::BpfLoader.Programs.BpfProgram? Test2 { get => Shadow.GetProgram(1); set => Shadow.SetProgram(1, value); }",
            "public uint Data { get => Shadow.Get<uint>(16); set => Shadow.Set(16, value); }",
            "public global::System.Span<byte> __unsupported_3 => Shadow.Data.Slice(20, 5);",
            "public global::System.Span<byte> __padding_4 => Shadow.Data.Slice(25, 7);",
            "public long Big { get => Shadow.Get<long>(32); set => Shadow.Set(32, value); }",
            "public Types.Color Col { get => Shadow.Get<Types.Color>(40); set => Shadow.Set(40, value); }",
            "public global::System.Span<byte> __unsupported_6 => Shadow.Data.Slice(44, 4);",
            "public global::System.Span<byte> __unsupported_7 => Shadow.Data.Slice(48, 8);",
            "public global::System.Span<byte> __unsupported_8 => Shadow.Data.Slice(56, 8);",
            "public short Tail { get => Shadow.Get<short>(64); set => Shadow.Set(64, value); }",
            "public global::System.Span<byte> __padding_10 => Shadow.Data.Slice(66, 6);",
            "public global::BpfLoader.Programs.BpfProgram? Test3 { get => Shadow.GetProgram(10); set => Shadow.SetProgram(10, value); }",
            "public byte C { get => Shadow.Get<byte>(80); set => Shadow.Set(80, value); }",
            "public global::System.Span<byte> __padding_end => Shadow.Data.Slice(81, 7);",
        ];
        int at = src.IndexOf("public sealed class MyOpsShadow", StringComparison.Ordinal);
        at.ShouldBeGreaterThan(0);
        foreach (var line in expected)
        {
            int next = src.IndexOf(line, at, StringComparison.Ordinal);
            next.ShouldBeGreaterThan(at, line);
            at = next;
        }
    }

    [Test]
    public void GeneratedViewsReadAndWriteTheSectionBeforeLoad()
    {
        using var skel = SkeletonTypes.Open();
        skel.Bss.TrickyGlobal.Mode = 5;
        skel.Bss.TrickyGlobal.SignedBits = -3;
        skel.Bss.TrickyGlobal.FlagA = 1;
        skel.Bss.TrickyGlobal.Mode.ShouldBe(5u);
        skel.Bss.TrickyGlobal.SignedBits.ShouldBe(-3);
        skel.Bss.TrickyGlobal.FlagA.ShouldBe(1u);
        // flag_a is bit 0 and mode bits 1..3 of the word at offset 64
        (skel.Maps.Bss.Data[64] & 0xf).ShouldBe(1 | 5 << 1);
        skel.Bss.TrickyGlobal.AsInt = 0x04030201;
        skel.Bss.TrickyGlobal.AsBytes[2].ShouldBe((byte)3);
        skel.Bss.TrickyGlobal.Pts[2].Y = 9;
        skel.Bss.TrickyGlobal.Pts[2].Y.ShouldBe((short)9);
        skel.Bss.TrickyGlobal.Grid[1][2] = 42;
        BitConverter.ToInt32(skel.Maps.Bss.Data[(40 + 5 * 4)..]).ShouldBe(42);
        skel.Bss.TrickyGlobal.Name.Value = "hello";
        skel.Bss.TrickyGlobal.Name.Value.ShouldBe("hello");
        Should.Throw<BpfLoader.Diagnostics.BpfException>(() => skel.Bss.TrickyGlobal.Name.Value = "toolong");
        skel.DataPoints.Points[1].Y.ShouldBe((short)4);
        skel.Rodata.RodataColor.ShouldBe(SkeletonTypes.Types.Color.GREEN);
        skel.StructOps.MyOps.Data.ShouldBe(3u);
        skel.StructOps.MyOps.Test1.ShouldBe(skel.Progs.BPFPROGTest1);
        skel.StructOps.MyOps.Test1 = skel.Progs.Test2;
        skel.StructOps.MyOps.Test1.ShouldBe(skel.Progs.Test2);
        skel.StructOps.MyOps.Test3 = null;
        skel.StructOps.MyOps.Test3.ShouldBeNull();
    }

    [Test]
    public void CliEmitsWhatTheBuildGenerates()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        CommandLine.Run(["gen", "skeleton", Progs.Path("test_skeleton"), "name", "test_skeleton", "namespace", "BpfTests.Skeletons"], output, error).ShouldBe(0, error.ToString());
        output.ToString().ShouldBe(Generate("test_skeleton"));
        output.ToString().ShouldContain("public sealed partial class TestSkeleton : global::BpfLoader.Skeletons.BpfSkeleton");

        output = new StringWriter();
        CommandLine.Run(["gen", "subskeleton", Path.Combine(Progs.Directory, "test_subskeleton_lib.linked.o"), "name", "test_subskeleton_lib"], output, error).ShouldBe(0, error.ToString());
        output.ToString().ShouldContain("public sealed partial class TestSubskeletonLib : global::BpfLoader.Skeletons.BpfSubskeleton");

        error = new StringWriter();
        CommandLine.Run(["gen", "skeleton", Progs.Path("minimal"), "name", "a", "name", "b"], output, error).ShouldBe(CommandLine.Usage);
        error.ToString().ShouldContain("object name already specified");
        error = new StringWriter();
        CommandLine.Run(["gen", "skeleton", Progs.Path("minimal"), "bogus"], output, error).ShouldBe(CommandLine.Usage);
        error.ToString().ShouldContain("unknown arg bogus");
        error = new StringWriter();
        CommandLine.Run(["gen", "subskeleton", "-L", Progs.Path("minimal")], output, error).ShouldBe(CommandLine.Usage);
        error.ToString().ShouldContain("cannot use loader for subskeletons");
        error = new StringWriter();
        CommandLine.Run(["gen", "skeleton", "-L", Progs.Path("minimal")], output, error).ShouldBe(CommandLine.Usage);
        error.ToString().ShouldContain("light skeletons (-L) are not supported");
    }

    [Test]
    public void RefusesWhatItCannotDescribe()
    {
        Should.Throw<SkeletonGenException>(() => SkeletonEmitter.Generate(new SkeletonRequest([1, 2, 3], "junk.o", SkeletonKind.Skeleton)))
            .Message.ShouldContain("not an ELF file");
        var bytes = File.ReadAllBytes(Progs.Path("minimal"));
        var noBtf = RenameSection(bytes, ".BTF", ".BTX");
        Should.Throw<SkeletonGenException>(() => SkeletonEmitter.Generate(new SkeletonRequest(noBtf, "minimal.bpf.o", SkeletonKind.Subskeleton)))
            .Message.ShouldBe("need btf type information for minimal_bpf");
        // a skeleton without BTF still has maps and programs, just no typed sections
        SkeletonEmitter.Generate(new SkeletonRequest(noBtf, "minimal.bpf.o", SkeletonKind.Skeleton)).ShouldContain("class MinimalBpf");
    }

    private static byte[] RenameSection(byte[] bytes, string from, string to)
    {
        var copy = (byte[])bytes.Clone();
        var f = System.Text.Encoding.ASCII.GetBytes(from + "\0");
        int i = copy.AsSpan().IndexOf(f);
        System.Text.Encoding.ASCII.GetBytes(to + "\0").CopyTo(copy, i);
        return copy;
    }

    public static IEnumerable<Type> GeneratedSkeletons()
        => typeof(SkeletonGeneratorTests).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(BpfLoader.Skeletons.BpfSkeleton)) && t.GetField("ElfResource") is not null)
            .OrderBy(t => t.FullName, StringComparer.Ordinal);

    [Test]
    public void EveryProgsObjectHasAGeneratedSkeleton()
    {
        var names = GeneratedSkeletons().Select(t => (string)t.GetField("ObjectName")!.GetValue(null)!).ToHashSet();
        foreach (var file in Progs.All())
            names.ShouldContain(Path.GetFileName(file)[..^".bpf.o".Length]);
        names.ShouldContain("test_subskeleton");
        typeof(TestSubskeletonLib).IsSubclassOf(typeof(BpfLoader.Skeletons.BpfSubskeleton)).ShouldBeTrue();
    }

    [TestCaseSource(nameof(GeneratedSkeletons))]
    public void EveryGeneratedOffsetEqualsBtf(Type skeleton)
    {
        var resource = (string)skeleton.GetField("ElfResource")!.GetValue(null)!;
        using var stream = skeleton.Assembly.GetManifestResourceStream(resource)!;
        var elf = new byte[stream.Length];
        stream.ReadExactly(elf);
        using var obj = BpfObject.Open(elf, (string)skeleton.GetField("ObjectName")!.GetValue(null)!);
        var btf = obj.Btf!;
        int checkedFields = 0;
        foreach (var nested in skeleton.GetNestedTypes().Concat(skeleton.GetNestedType("Types")?.GetNestedTypes() ?? []))
        {
            if (nested.GetField("BtfLayout")?.GetValue(null) is not BpfLoader.Skeletons.SkeletonField[] layout)
                continue;
            if (nested.GetField("LocalTypeName") is not null)
            {
                ShadowCoversItsStruct(btf, (int)nested.GetField("BtfTypeId")!.GetValue(null)!, layout, $"{skeleton.Name}.{nested.Name}");
                checkedFields += layout.Length;
                continue;
            }
            var expected = nested.GetField("BtfTypeId") is { } idField
                ? Members(btf, (int)idField.GetValue(null)!, 0, "")
                : SectionVars(obj, elf, (string)nested.GetField("SectionName")!.GetValue(null)!);
            string.Join("\n", layout).ShouldBe(string.Join("\n", expected), $"{skeleton.Name}.{nested.Name}");
            checkedFields += layout.Length;
        }
        // a skeleton with typed sections had fields to compare (objects whose data is only static get none)
        if (skeleton.GetNestedTypes().Any(t => t.GetField("SectionName") is not null))
            checkedFields.ShouldBeGreaterThan(0);
    }

    // A struct_ops shadow: its members and bpftool's padding cover the local struct exactly, in order, and each C
    // member sits at its BTF offset with its BTF size (opaque members included).
    private static void ShadowCoversItsStruct(BpfLoader.Btf.Btf btf, int typeId, BpfLoader.Skeletons.SkeletonField[] layout, string what)
    {
        var type = btf[typeId];
        long end = 0;
        foreach (var f in layout)
        {
            f.Offset.ShouldBe((int)end, $"{what}: '{f.Name}' starts where the previous member ends");
            end = f.Offset + f.Size;
        }
        end.ShouldBe(type.Size, $"{what}: the members cover struct {type.Name}");
        var members = layout.Where(f => !f.Name.StartsWith("__padding_", StringComparison.Ordinal)).Select(f => $"{f.Name}@{f.Offset}+{f.Size}");
        var expected = type.Members.Select(m => $"{m.Name}@{m.BitOffset / 8}+{btf.ResolveSize(m.Type)}");
        string.Join("\n", members).ShouldBe(string.Join("\n", expected), what);
    }

    // libbpf's view of a DATASEC: non-static, non-hidden VARs at their ELF symbols' offsets (clang leaves the
    // DATASEC offsets to the loader), sorted by offset; .kconfig as the loader laid it out.
    private static List<BpfLoader.Skeletons.SkeletonField> SectionVars(BpfObject obj, byte[] elfBytes, string section)
    {
        var elf = BpfLoader.Elf.ElfFile.Parse(elfBytes, "layout");
        var sec = elf.FindSection(section);
        var map = obj.Maps.First(m => m.IsInternal && m.SectionName == section);
        var result = new List<BpfLoader.Skeletons.SkeletonField>();
        foreach (var v in obj.Btf![map.BtfValueTypeId].DatasecVars)
        {
            var var = obj.Btf[v.Type];
            if (var.VarLinkage == BtfVarLinkage.Static)
                continue;
            var sym = sec is null ? null : elf.Symbols.FirstOrDefault(s => s.SectionIndex == sec.Index && s.Name == var.Name && !s.IsLocal);
            if (sym?.Visibility == BpfLoader.Elf.ElfConstants.StvHidden)
                continue;
            result.Add(new(var.Name, sym is null ? (int)v.Offset : (int)sym.Value, (int)v.Size));
        }
        return result.OrderBy(f => f.Offset).ToList();
    }

    // BTF members with anonymous struct/union members flattened; bitfields with their bit position.
    private static List<BpfLoader.Skeletons.SkeletonField> Members(BpfLoader.Btf.Btf btf, int typeId, long baseBits, string prefix)
    {
        var result = new List<BpfLoader.Skeletons.SkeletonField>();
        foreach (var m in btf[typeId].Members)
        {
            long bits = baseBits + m.BitOffset;
            var resolved = btf[btf.SkipModsAndTypedefs(m.Type)];
            if (m.Name.Length == 0 && resolved.IsStructOrUnion && m.BitfieldSize == 0)
            {
                result.AddRange(Members(btf, resolved.Id, bits, prefix));
                continue;
            }
            int size = (int)btf.ResolveSize(m.Type);
            result.Add(m.BitfieldSize != 0
                ? new(prefix + m.Name, (int)(bits / 8), size, (int)(bits % 8), (int)m.BitfieldSize)
                : new(prefix + m.Name, (int)(bits / 8), size));
        }
        return result;
    }
}
