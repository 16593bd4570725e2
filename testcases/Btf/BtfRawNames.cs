using System.Buffers.Binary;
using System.Text;
using BpfHarness;
using BpfHarness.Gates;
using BpfLoader.Kernel;
using NUnit.Framework;
using static BpfHarness.TP;

namespace BpfTests.Btf;

/// <summary>
/// Port of the raw BTF cases of prog_tests/btf.c about '?' and non-identifier names (testcases.md §5):
/// each raw BTF is loaded as is; the kernel must accept or refuse it, and a refusal must say why.
/// </summary>
public class btf_tests
{
    private sealed record RawCase(string Descr, uint[] Types, string Strings, bool LoadErr, string? ErrStr, string? MinKernel);

    private const uint KindInt = 1, KindFwd = 7, KindVar = 14, KindDatasec = 15;

    private static uint Info(uint kind, uint vlen = 0, bool kflag = false) => (kflag ? 1u << 31 : 0) | (kind << 24) | vlen;

    // [1] int, [2] VAR 'x' (static) -> 1, [3] DATASEC name@3 holding [2]
    private static uint[] DatasecTypes(uint datasecName) =>
    [
        0, Info(KindInt), 4, (1u << 24) | 32,         // INT signed, 32 bits
        1, Info(KindVar), 1, 0,                        // VAR 'x', static
        datasecName, Info(KindDatasec, 1), 4, 2, 0, 4, // DATASEC, secinfo {type 2, offset 0, size 4}
    ];

    private static readonly RawCase[] Cases =
    [
        new("datasec: name '?.foo bar:buz' is ok", DatasecTypes(3), "\0x\0?.foo bar:buz\0", false, null, "6.9"),
        new("datasec: name with non-printable first char not is ok", DatasecTypes(3), "\0x\0\u0007foo\0", true, "Invalid name", null),
        new("datasec: name '\\0' is not ok", DatasecTypes(3), "\0x\0\0", true, "Invalid name", null),
        new("type name '?foo' is not ok", [1, Info(KindFwd, 0, kflag: true), 0], "\0?foo\0", true, "Invalid name", null),
    ];

    [Test]
    public void btf()
    {
        foreach (var c in Cases)
        {
            if (test__start_subtest(c.Descr))
                do_test_raw(c);
        }
    }

    private static byte[] Build(RawCase c)
    {
        var strings = Encoding.Latin1.GetBytes(c.Strings);
        int typeLen = c.Types.Length * 4;
        var blob = new byte[24 + typeLen + strings.Length];
        BinaryPrimitives.WriteUInt16LittleEndian(blob, 0xeB9F);
        blob[2] = 1;                                                   // version
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(4), 24);  // hdr_len
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(8), 0);   // type_off
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(12), (uint)typeLen);
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(16), (uint)typeLen); // str_off
        BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(20), (uint)strings.Length);
        for (int i = 0; i < c.Types.Length; i++)
            BinaryPrimitives.WriteUInt32LittleEndian(blob.AsSpan(24 + i * 4), c.Types[i]);
        strings.CopyTo(blob, 24 + typeLen);
        return blob;
    }

    private static void do_test_raw(RawCase c)
    {
        if (c.MinKernel is not null && !Gate.CheckKernel(c.MinKernel, "all printable characters in BTF DATASEC names"))
            return;
        var blob = Build(c);
        int fd = BpfSyscall.TryBtfLoad(blob, [], 0);
        string log = "";
        if (fd < 0)
        {
            var buffer = new byte[64 * 1024];
            int again = BpfSyscall.TryBtfLoad(blob, buffer, 1);
            if (again >= 0)
                new FileDescriptor(again).Dispose();
            int end = Array.IndexOf(buffer, (byte)0);
            log = Encoding.UTF8.GetString(buffer, 0, end < 0 ? buffer.Length : end);
        }
        else
        {
            new FileDescriptor(fd).Dispose();
        }
        bool failed = fd < 0;
        if (CHECK(failed != c.LoadErr, "btf_load", $"fd:{fd} test->btf_load_err:{(c.LoadErr ? 1 : 0)}\n") ||
            CHECK(c.ErrStr is not null && !log.Contains(c.ErrStr, StringComparison.Ordinal), "expected err_str", $"expected err_str:{c.ErrStr}\n"))
        {
            printf($"\n{log}");
        }
    }
}
