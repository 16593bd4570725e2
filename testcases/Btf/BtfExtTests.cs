using System.Buffers.Binary;
using BpfLoader.Btf;
using BpfLoader.Diagnostics;
using NUnit.Framework;
using Shouldly;
using BtfObj = BpfLoader.Btf.Btf;

namespace BpfTests.Btf;

/// <summary>.BTF.ext of progs/core_reads.bpf.o (sections extracted with llvm-objcopy), plus malformed variants.</summary>
[TestFixture]
public class BtfExtTests
{
    private const string Obj = "core_reads.bpf.o";
    private const string ProgSection = "raw_tp/sys_enter";
    private byte[] _btfBytes = null!;
    private byte[] _extBytes = null!;
    private BtfObj _btf = null!;
    private BtfExt _ext = null!;

    [OneTimeSetUp]
    public void ExtractSections()
    {
        var sections = BtfTestUtil.DumpSections(BtfTestUtil.ProgPath(Obj), ".BTF", ".BTF.ext");
        _btfBytes = sections[".BTF"];
        _extBytes = sections[".BTF.ext"];
        _btf = BtfObj.Parse(_btfBytes, sourceName: Obj);
        _ext = BtfExt.Parse(_extBytes, _btf, Obj);
    }

    [Test]
    public void ObjectBtfRoundTripsAndMatchesBpftool()
    {
        _btf.ToBytes().ShouldBe(_btfBytes);
        var sw = new StringWriter();
        _btf.DumpRaw(sw);
        sw.ToString().ShouldBe(BtfTestUtil.BpftoolRaw(BtfSamples.WriteTemp(_btfBytes, "core_reads.btf")));
    }

    [Test]
    public void HeaderAndRecordSizes()
    {
        _ext.Version.ShouldBe((byte)1);
        _ext.HeaderLength.ShouldBe(32);
        _ext.FuncInfoRecSize.ShouldBe(8);
        _ext.LineInfoRecSize.ShouldBe(16);
        _ext.CoreReloRecSize.ShouldBe(16);
    }

    [Test]
    public void FuncInfoNamesTheProgramAndSubprogram()
    {
        var prog = _ext.GetFuncInfos(ProgSection);
        prog.Count.ShouldBe(1);
        prog[0].InsnOff.ShouldBe(0u);
        _btf[prog[0].TypeId].Kind.ShouldBe(BtfKind.Func);
        _btf[prog[0].TypeId].Name.ShouldBe("core_reads");
        var text = _ext.GetFuncInfos(".text");
        text.Count.ShouldBe(1);
        _btf[text[0].TypeId].Name.ShouldBe("add_one");
        _ext.FuncInfoSections.Select(s => s.Name).ShouldBe([ProgSection, ".text"], ignoreOrder: true);
        _ext.GetFuncInfos("no/such/section").ShouldBeEmpty();
    }

    [Test]
    public void LineInfoPointsAtTheSourceLines()
    {
        var lines = _ext.GetLineInfos(ProgSection);
        lines.Count.ShouldBeGreaterThan(0);
        // The file name clang recorded is the path it compiled, wherever the tests run from.
        string path = _btf.GetString(lines[0].FileNameOff);
        Path.IsPathRooted(path).ShouldBeTrue(path);
        var source = File.ReadAllLines(path);
        lines.Count.ShouldBeGreaterThan(5);
        lines[0].InsnOff.ShouldBe(0u);
        lines.Select(l => l.InsnOff).ShouldBeInOrder();
        foreach (var l in lines)
        {
            l.InsnOff.ShouldBe(l.InsnOff / 8 * 8);   // byte offsets of 8-byte instructions
            _btf.GetString(l.FileNameOff).ShouldEndWith("core_reads.bpf.c");
            l.Line.ShouldBeInRange(1u, (uint)source.Length);
            // clang stores the text of the line it points at.
            _btf.GetString(l.LineOff).Trim().ShouldBe(source[l.Line - 1].Trim());
        }
        lines.Any(l => _btf.GetString(l.LineOff).Contains("BPF_CORE_READ(task, pid)")).ShouldBeTrue();
        lines.Any(l => l.Column > 0).ShouldBeTrue();
    }

    [Test]
    public void CoreRelosOfEveryRequestedKind()
    {
        var relos = _ext.GetCoreRelos(ProgSection);
        var kinds = relos.Select(r => r.Kind).ToHashSet();
        kinds.ShouldContain(BtfCoreReloKind.FieldByteOffset);
        kinds.ShouldContain(BtfCoreReloKind.FieldExists);
        kinds.ShouldContain(BtfCoreReloKind.FieldByteSize);
        kinds.ShouldContain(BtfCoreReloKind.TypeExists);
        kinds.ShouldContain(BtfCoreReloKind.EnumvalValue);

        int task = _btf.FindByName("task_struct", BtfKind.Struct);
        var exists = relos.Single(r => r.Kind == BtfCoreReloKind.FieldExists);
        exists.TypeId.ShouldBe(task);
        MemberByAccess(task, _btf.GetString(exists.AccessStrOff)).ShouldBe("pid");
        var size = relos.Single(r => r.Kind == BtfCoreReloKind.FieldByteSize);
        MemberByAccess(size.TypeId, _btf.GetString(size.AccessStrOff)).ShouldBe("comm");
        var typeExists = relos.Single(r => r.Kind == BtfCoreReloKind.TypeExists);
        _btf.GetString(typeExists.AccessStrOff).ShouldBe("0");
        _btf[typeExists.TypeId].Name.ShouldBe("task_struct");
        var enumval = relos.Single(r => r.Kind == BtfCoreReloKind.EnumvalValue);
        var e = _btf[enumval.TypeId];
        e.Name.ShouldBe("bpf_map_type");
        e.EnumValues[int.Parse(_btf.GetString(enumval.AccessStrOff), System.Globalization.CultureInfo.InvariantCulture)].Name.ShouldBe("BPF_MAP_TYPE_ARRAY");
        // BPF_CORE_READ(task, real_parent, tgid) relocates both member accesses.
        relos.Where(r => r.Kind == BtfCoreReloKind.FieldByteOffset)
            .Select(r => MemberByAccess(r.TypeId, _btf.GetString(r.AccessStrOff)))
            .ShouldContain("real_parent");
    }

    // "0:N" on a struct: the N-th member's name (enough for the single-level accesses this object uses).
    private string MemberByAccess(int typeId, string access)
    {
        var parts = access.Split(':');
        parts.Length.ShouldBe(2, access);
        return _btf[_btf.SkipModsAndTypedefs(typeId)].Members[int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture)].Name;
    }

    [Test]
    public void EncodersWriteKernelLayout()
    {
        var funcs = _ext.GetFuncInfos(ProgSection).ToArray();
        var bytes = BtfExt.EncodeFuncInfos(funcs);
        bytes.Length.ShouldBe(8 * funcs.Length);
        BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(4)).ShouldBe((uint)funcs[0].TypeId);
        var lines = _ext.GetLineInfos(ProgSection).ToArray();
        var lb = BtfExt.EncodeLineInfos(lines);
        lb.Length.ShouldBe(16 * lines.Length);
        BinaryPrimitives.ReadUInt32LittleEndian(lb.AsSpan(16 + 12)).ShouldBe(lines[1].LineCol);
        var relos = _ext.GetCoreRelos(ProgSection).ToArray();
        var rb = BtfExt.EncodeCoreRelos(relos);
        BinaryPrimitives.ReadUInt32LittleEndian(rb.AsSpan(12)).ShouldBe((uint)relos[0].Kind);

        // The encoded func_info equals the block's own bytes in the object (same layout, same values).
        int funcOff = (int)BinaryPrimitives.ReadUInt32LittleEndian(_extBytes.AsSpan(8));
        var raw = _extBytes.AsSpan(_ext.HeaderLength + funcOff + 4);   // skip rec_size
        while (_btf.GetString(BinaryPrimitives.ReadUInt32LittleEndian(raw)) != ProgSection)
            raw = raw[(8 + 8 * (int)BinaryPrimitives.ReadUInt32LittleEndian(raw[4..]))..];
        raw.Slice(8, bytes.Length).ToArray().ShouldBe(bytes);
    }

    private string Fails(byte[] data)
    {
        var e = Should.Throw<BpfFormatException>(() => BtfExt.Parse(data, _btf, "bad.o"));
        e.Message.ShouldStartWith("BTF.ext 'bad.o': ");
        e.Message.ShouldNotContain("\n");
        return e.Message;
    }

    private byte[] With(int offset, uint value)
    {
        var copy = (byte[])_extBytes.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(offset), value);
        return copy;
    }

    private int FuncBlock => _ext.HeaderLength + (int)BinaryPrimitives.ReadUInt32LittleEndian(_extBytes.AsSpan(8));

    [Test]
    public void MalformedHeaders()
    {
        Fails(_extBytes[..4]).ShouldContain("too short");
        var magic = (byte[])_extBytes.Clone();
        magic[0] = 0;
        Fails(magic).ShouldContain("bad magic");
        var flags = (byte[])_extBytes.Clone();
        flags[3] = 1;
        Fails(flags).ShouldContain("flags");
        Fails(With(4, 16)).ShouldContain("header length 16");
        Fails(With(4, 100000)).ShouldContain("exceeds");
    }

    [Test]
    public void MalformedBlocksNameTheBlock()
    {
        Fails(With(12, 100000)).ShouldContain("func_info block (offset 0, length 100000) extends past the end");
        Fails(With(8, 2)).ShouldContain("func_info block offset 2 is not 4-byte aligned");
        Fails(With(FuncBlock, 4)).ShouldContain("func_info block has invalid record size 4");
        Fails(With(FuncBlock, 10)).ShouldContain("invalid record size 10");
        Fails(With(FuncBlock + 4, 0x7fffff00)).ShouldContain("func_info block: section name offset 2147483392 is not a valid string");
        Fails(With(FuncBlock + 8, 0)).ShouldContain("has no records");
        Fails(With(FuncBlock + 8, 0x10000000)).ShouldContain("records of 8 bytes, more than");
        Fails(With(FuncBlock + 16, 100000)).ShouldContain("record #0: type id 100000 is beyond the last type");
        Fails(With(12, 2)).ShouldContain("func_info block has no record size");
        var lineBlock = _ext.HeaderLength + (int)BinaryPrimitives.ReadUInt32LittleEndian(_extBytes.AsSpan(16));
        Fails(With(lineBlock + 12 + 4, 0x7fffff00)).ShouldContain($"line_info for section '{_ext.LineInfoSections[0].Name}', record #0: file name offset");
        var coreBlock = _ext.HeaderLength + (int)BinaryPrimitives.ReadUInt32LittleEndian(_extBytes.AsSpan(24));
        Fails(With(coreBlock, 12)).ShouldContain("core_relo block has invalid record size 12");
    }

    [Test]
    public void ShortHeaderWithoutCoreReloIsAccepted()
    {
        // A 24-byte header (pre-CO-RE layout): rebuild the blob without the core_relo fields.
        int funcOff = (int)BinaryPrimitives.ReadUInt32LittleEndian(_extBytes.AsSpan(8));
        int lineOff = (int)BinaryPrimitives.ReadUInt32LittleEndian(_extBytes.AsSpan(16));
        var data = new byte[24].Concat(_extBytes[32..]).ToArray();
        _extBytes.AsSpan(0, 24).CopyTo(data);
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(4), 24);
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(8), (uint)funcOff);
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(16), (uint)lineOff);
        var ext = BtfExt.Parse(data, _btf, "short.o");
        ext.CoreReloSections.ShouldBeEmpty();
        ext.CoreReloRecSize.ShouldBe(0);
        ext.GetFuncInfos(ProgSection).ShouldBe(_ext.GetFuncInfos(ProgSection));
        ext.GetLineInfos(ProgSection).ShouldBe(_ext.GetLineInfos(ProgSection));
    }

    [Test]
    public void RandomMutationsOnlyEverThrowBpfFormatException()
    {
        var rng = new Random(77);
        int ok = 0, bad = 0;
        for (int iter = 0; iter < 3000; iter++)
        {
            var data = (byte[])_extBytes.Clone();
            for (int e = 1 + rng.Next(4); e > 0; e--)
            {
                if (rng.Next(5) == 0)
                    Array.Resize(ref data, rng.Next(data.Length + 1));
                else if (data.Length >= 4)
                    BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(rng.Next(data.Length / 4) * 4), (uint)rng.Next(-2, 200));
            }
            try
            {
                var ext = BtfExt.Parse(data, _btf, "fuzz.o");
                foreach (var s in ext.LineInfoSections)
                    foreach (var l in s.Records)
                        _btf.GetString(l.FileNameOff);
                ok++;
            }
            catch (BpfFormatException ex)
            {
                ex.Message.ShouldStartWith("BTF.ext 'fuzz.o': ");
                bad++;
            }
        }
        TestContext.Out.WriteLine($"BTF.ext fuzz: {ok} parsed, {bad} rejected");
        bad.ShouldBeGreaterThan(500);
        ok.ShouldBeGreaterThan(100);
    }
}
