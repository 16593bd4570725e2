using System.Text;
using BpfHarness;
using BpfLoader.Diagnostics;
using BpfLoader.Objects;
using NUnit.Framework;
using static BpfHarness.TP;

namespace BpfTests.Skeletons;

/// <summary>
/// Port of prog_tests/subskeleton.c (testcases.md §4): the library subskeleton <see cref="TestSubskeletonLib"/>
/// (generated from the link of lib2 + lib) opened on the final object's skeleton <see cref="TestSubskeleton"/>
/// before load (initial values) and after (mmap'ed), plus libbpf's error paths.
/// </summary>
public class subskeleton_tests
{
    [Test]
    public void subskeleton()
    {
        using var skel = TestSubskeleton.Open();
        if (!ASSERT_OK_PTR(skel, "skel_open"))
            return;
        skel.Rodata.Rovar1 = 10;
        skel.Rodata.Var1 = 1;

        using (var lib = TestSubskeletonLib.Open(skel))
        {
            if (!ASSERT_OK_PTR(lib, "open subskeleton"))
                return;
            lib.Rodata.Var1 = 1;
            lib.Data.Var2 = 2;
            lib.Bss.Var3.Var3_1 = 3;
            lib.Bss.Var3.Var3_2 = 4;
        }

        if (!ASSERT_OK(skel.TryLoad(), "skel_load"))
            return;
        skel.Attach();
        ASSERT_OK(0, "skel_attach");
        Thread.Sleep(1);
        _ = BpfLoader.Interop.Native.GetPgid(0);

        using (var lib = TestSubskeletonLib.Open(skel))
        {
            if (!ASSERT_OK_PTR(lib, "open subskeleton"))
                return;
            ASSERT_EQ(lib.Bss.Libout1, 1 + 2 + 3 + 4 + 5 + 6, "lib subresult");
            ASSERT_OK_PTR(lib.Progs.LibPerfHandler, "lib_perf_handler");
            ASSERT_STREQ(lib.Progs.LibPerfHandler.Name, "lib_perf_handler", "program name");
            ASSERT_OK_PTR(lib.Maps.Map1, "map1");
            ASSERT_STREQ(lib.Maps.Map1.Name, "map1", "map name");
            ASSERT_EQ(lib.Data.Var5, 5, "__weak var5");
            ASSERT_EQ(lib.Data.Var6, 6, "extern var6");
            ASSERT_TRUE(lib.Kconfig.CONFIG_BPF_SYSCALL, "CONFIG_BPF_SYSCALL");
        }
        ASSERT_EQ(skel.Bss.Out1, 21 * 10, "unexpected calculation");
    }

    private static byte[] FinalObject() => TestSubskeleton.ElfBytes.ToArray();

    /// <summary>Same-length renames in the object bytes (ELF symbol and BTF strings alike).</summary>
    private static byte[] Rename(byte[] bytes, string from, string to)
    {
        var f = Encoding.ASCII.GetBytes(from + "\0");
        var t = Encoding.ASCII.GetBytes(to + "\0");
        var copy = (byte[])bytes.Clone();
        for (int i = copy.AsSpan().IndexOf(f); i >= 0;)
        {
            t.CopyTo(copy, i);
            int next = copy.AsSpan(i + 1).IndexOf(f);
            i = next < 0 ? -1 : i + 1 + next;
        }
        return copy;
    }

    private static (int Err, string Log) OpenLib(byte[] bytes, string name)
    {
        using var obj = BpfObject.Open(bytes, name);
        LogCapture.Start();
        int err = 0;
        try
        {
            using var lib = TestSubskeletonLib.Open(obj);
        }
        catch (BpfException e)
        {
            err = e.Error;
        }
        return (err, LogCapture.Stop() ?? "");
    }

    [Test]
    public void subskeleton_errors()
    {
        var (err, log) = OpenLib(Rename(File.ReadAllBytes(Progs.Path("minimal")), ".BTF", ".BTX"), "nobtf");
        ASSERT_EQ(err, -Errno.EINVAL, "no BTF");
        ASSERT_HAS_SUBSTR(log, "libbpf: subskeletons require BTF at runtime (object nobtf)", "no BTF message");

        (err, log) = OpenLib(Rename(FinalObject(), "map1", "mapX"), "nomap");
        ASSERT_EQ(err, -Errno.ESRCH, "missing map");
        ASSERT_HAS_SUBSTR(log, "libbpf: failed to find skeleton map 'map1'\nlibbpf: failed to populate subskeleton maps: -ESRCH", "missing map message");

        (err, log) = OpenLib(Rename(FinalObject(), "lib_perf_handler", "lib_perf_handlex"), "noprog");
        ASSERT_EQ(err, -Errno.ESRCH, "missing program");
        ASSERT_HAS_SUBSTR(log, "libbpf: failed to find skeleton program 'lib_perf_handler'\nlibbpf: failed to populate subskeleton maps: -ESRCH", "missing program message");

        // A variable the object lacks stays unresolved: no error at open, an error when used.
        using var obj = BpfObject.Open(Rename(FinalObject(), "var7", "varX"), "novar");
        using var lib = TestSubskeletonLib.Open(obj);
        ASSERT_FALSE(lib.DataCustom.IsResolved("var7"), "var7 unresolved");
        ASSERT_TRUE(lib.Data.IsResolved("var2"), "var2 resolved");
        err = 0;
        try
        {
            _ = lib.DataCustom.Var7;
        }
        catch (BpfException e)
        {
            err = e.Error;
        }
        ASSERT_EQ(err, -Errno.ENOENT, "unresolved variable");
    }
}
