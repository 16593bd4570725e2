using System.Buffers.Binary;
using BpfLoader.Btf;
using BpfLoader.Diagnostics;
using NUnit.Framework;
using Shouldly;
using BtfObj = BpfLoader.Btf.Btf;

namespace BpfTests.Btf;

/// <summary>Malformed BTF must fail with one BpfFormatException naming the source: never a crash or a hang.</summary>
[TestFixture]
public class BtfMalformedTests
{
    private const string Src = "bad.bpf.o";

    // A valid small blob: [1] INT 'int', [2] STRUCT 's' { int a; }, [3] PTR -> 2.
    private static byte[] Valid()
    {
        var b = BtfObj.CreateEmpty();
        int i = b.AddInt("int", 4, BtfIntEncoding.Signed);
        int s = b.AddStruct("s", 4, [new("a", i, 0)]);
        b.AddPtr(s);
        return b.ToBytes();
    }

    private const int Hdr = 24;
    private const int Struct = Hdr + 16;   // offset of type [2] in Valid()
    private const int Ptr = Struct + 24;   // offset of type [3]

    private static string Fails(byte[] data)
    {
        var e = Should.Throw<BpfFormatException>(() => BtfObj.Parse(data, sourceName: Src));
        e.Message.ShouldStartWith($"BTF '{Src}': ");
        e.Message.ShouldNotContain("\n");
        e.Error.ShouldBe(-Errno.EINVAL);
        return e.Message;
    }

    private static byte[] With(byte[] data, int offset, uint value)
    {
        var copy = (byte[])data.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(offset), value);
        return copy;
    }

    [Test]
    public void ValidSampleParses() => BtfObj.Parse(Valid()).LastId.ShouldBe(3);

    [Test]
    public void TruncatedHeader()
    {
        Fails(Valid()[..10]).ShouldContain("too short");
        Fails([]).ShouldContain("too short");
    }

    [Test]
    public void BadMagicAndBigEndian()
    {
        var bad = Valid();
        bad[0] = 0x12;
        Fails(bad).ShouldContain("bad magic");
        var be = Valid();
        (be[0], be[1]) = (0xEB, 0x9F);
        Fails(be).ShouldContain("big-endian");
    }

    [Test]
    public void BadVersionAndHeaderLength()
    {
        var v = Valid();
        v[2] = 2;
        Fails(v).ShouldContain("version 2");
        Fails(With(Valid(), 4, 8)).ShouldContain("header length 8");
        Fails(With(Valid(), 4, 100000)).ShouldContain("exceeds the data size");
    }

    [Test]
    public void SectionsOutOfBounds()
    {
        Fails(With(Valid(), 12, 0xFFFFFFF0)).ShouldContain("type section");     // huge type_len
        Fails(With(Valid(), 20, 0x7FFFFFFF)).ShouldContain("string section");   // huge str_len
        Fails(With(Valid(), 16, 0xFFFFFFFF)).ShouldContain("string section");   // str_off wraps in 32 bits
        Fails(With(Valid(), 8, 2)).ShouldContain("aligned");
        Fails(With(Valid(), 16, 4)).ShouldContain("layout");                    // strings overlap types
    }

    [Test]
    public void StringSectionProblems()
    {
        var data = Valid();
        int strOff = Hdr + (int)BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(16));
        var unterminated = (byte[])data.Clone();
        unterminated[^1] = (byte)'x';
        Fails(unterminated).ShouldContain("NUL-terminated");
        var noLeadingNul = (byte[])data.Clone();
        noLeadingNul[strOff] = (byte)'x';
        Fails(noLeadingNul).ShouldContain("empty string");
        Fails(With(data, 20, 0)).ShouldContain("empty");
    }

    [Test]
    public void TypePastEndAndVlenOverflow()
    {
        // STRUCT with vlen 1000: its members would run far past the section.
        Fails(With(Valid(), Struct + 4, (4u << 24) | 1000)).ShouldBe(
            $"BTF '{Src}': type [2] STRUCT extends past the type section (vlen 1000, needs 12012 bytes at offset 16, 36 left)");
        // Truncate the type section by 4 bytes: the last record (PTR) is cut.
        var data = Valid();
        uint typeLen = BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(12));
        var cut = With(data, 12, typeLen - 4);
        Fails(cut).ShouldContain("type [3] header extends past the type section");
    }

    [Test]
    public void UnknownKind()
    {
        Fails(With(Valid(), Ptr + 4, 25u << 24)).ShouldContain("type [3] has unsupported kind 25");
        Fails(With(Valid(), Ptr + 4, 0)).ShouldContain("unsupported kind 0");
    }

    [Test]
    public void StringOffsetOutOfRange()
    {
        Fails(With(Valid(), Struct, 5000)).ShouldContain("type [2] STRUCT name offset 5000 is outside the string section");
        Fails(With(Valid(), Struct + 12, 5000)).ShouldContain("member #0 name offset 5000");
    }

    [Test]
    public void TypeIdOutOfRange()
    {
        Fails(With(Valid(), Ptr + 8, 4)).ShouldContain("type [3] PTR references type [4] beyond the last type [3]");
        Fails(With(Valid(), Struct + 16, 77)).ShouldContain("type [2] STRUCT member #0 references type [77]");
    }

    [Test]
    public void FuncMustReferenceFuncProto()
    {
        var b = BtfObj.CreateEmpty();
        int proto = b.AddFuncProto(0, []);
        int func = b.AddFunc("f", proto);
        var data = b.ToBytes();
        BtfObj.Parse(data).LastId.ShouldBe(func);
        // Point the FUNC at itself.
        Fails(With(data, Hdr + 12 + 8, (uint)func)).ShouldContain("type [2] FUNC references type [2] which is FUNC, not FUNC_PROTO");
        Fails(With(data, Hdr + 12 + 8, 0)).ShouldContain("which is void");
    }

    [Test]
    public void HugeTypeCounts()
    {
        // More than BTF_MAX_TYPE records (1M 12-byte PTRs to void).
        int n = BtfObj.MaxTypeId + 1;
        var data = new byte[Hdr + 12 * n + 1];
        BinaryPrimitives.WriteUInt16LittleEndian(data, 0xEB9F);
        data[2] = 1;
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(4), Hdr);
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(12), (uint)(12 * n));
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(16), (uint)(12 * n));
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(20), 1);
        for (int i = 0; i < n; i++)
            BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(Hdr + 12 * i + 4), 2u << 24);
        Fails(data).ShouldContain("too many types");
    }

    [Test]
    public void SplitBtfNameOffsetsIncludeBaseStrings()
    {
        var baseBtf = BtfObj.Parse(Valid());
        var split = BtfObj.CreateEmpty(baseBtf);
        split.AddTypedef("int", 1);   // "int" lives in the base string section
        var data = split.ToBytes();
        BtfObj.Parse(data, baseBtf).GetType(4).Name.ShouldBe("int");
        // Without the base the same bytes are invalid: type id 1 and the base string offset do not exist.
        Should.Throw<BpfFormatException>(() => BtfObj.Parse(data, sourceName: Src)).Message.ShouldStartWith($"BTF '{Src}': ");
    }

    [Test]
    public void FailedSplitParseDoesNotFreezeTheBase()
    {
        var baseBtf = BtfObj.Parse(Valid());
        Should.Throw<BpfFormatException>(() => BtfObj.Parse(Valid()[..30], baseBtf, Src));
        baseBtf.AddString("still_appendable").ShouldBeGreaterThan(0);
        BtfObj.CreateEmpty(baseBtf);
        Should.Throw<InvalidOperationException>(() => baseBtf.AddString("now_frozen"));
    }

    [Test]
    public void LoadFileOfMissingPathReportsEnoent()
    {
        var e = Should.Throw<BpfException>(() => BtfObj.LoadFile("/nonexistent/btf"));
        e.Error.ShouldBe(-Errno.ENOENT);
        e.Message.ShouldContain("/nonexistent/btf");
    }

    [Test]
    public void LoadFileOfGarbageNamesThePath()
    {
        var path = BtfSamples.WriteTemp([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25], "garbage.btf");
        Should.Throw<BpfFormatException>(() => BtfObj.LoadFile(path)).Message.ShouldStartWith($"BTF '{path}': bad magic");
    }

    [Test]
    public void RandomMutationsOnlyEverThrowBpfFormatException()
    {
        var seeds = new[] { Valid(), BtfSamples.AllKinds().ToBytes() };
        var rng = new Random(20240601);
        int parsed = 0, rejected = 0;
        for (int iter = 0; iter < 4000; iter++)
        {
            var data = (byte[])seeds[iter % seeds.Length].Clone();
            int edits = 1 + rng.Next(6);
            for (int e = 0; e < edits && data.Length > 0; e++)
            {
                switch (rng.Next(4))
                {
                    case 0: data[rng.Next(data.Length)] = (byte)rng.Next(256); break;
                    case 1: data[rng.Next(data.Length)] ^= (byte)(1 << rng.Next(8)); break;
                    case 2 when data.Length >= 4:   // plausible small integers in a 4-byte field
                        int at = rng.Next(data.Length / 4) * 4;
                        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(at), (uint)rng.Next(-4, 64));
                        break;
                    default: Array.Resize(ref data, rng.Next(data.Length + 1)); break;
                }
            }
            BtfObj btf;
            try
            {
                btf = BtfObj.Parse(data, sourceName: Src);
            }
            catch (BpfFormatException ex)
            {
                ex.Message.ShouldStartWith($"BTF '{Src}': ");
                ex.Message.ShouldNotContain("\n");
                rejected++;
                continue;
            }
            parsed++;
            // Whatever parses must be fully usable: every accessor, the dump, size resolution and the writer.
            var sw = new StringWriter();
            btf.DumpRaw(sw);
            for (int id = 1; id <= btf.LastId; id++)
            {
                btf.ResolveSize(id);
                btf.SkipModsAndTypedefs(id);
                var t = btf[id];
                if (t.NameOffset != 0)
                    btf.FindByName(t.Name, t.Kind).ShouldBeLessThanOrEqualTo(id);
            }
            BtfObj.Parse(btf.ToBytes()).LastId.ShouldBe(btf.LastId);
        }
        TestContext.Out.WriteLine($"fuzz: {parsed} parsed, {rejected} rejected");
        rejected.ShouldBeGreaterThan(1000);
        parsed.ShouldBeGreaterThan(50);
    }
}
