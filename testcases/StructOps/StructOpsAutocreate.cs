using BpfHarness;
using BpfLoader.Diagnostics;
using BpfLoader.Skeletons;
using BpfLoader.StructOps;
using NUnit.Framework;
using static BpfHarness.TP;

namespace BpfTests.StructOps;

/// <summary>Port of prog_tests/struct_ops_autocreate.c with the intended post-load checks (test_progs.md §15 #1, #2).</summary>
public class struct_ops_autocreate_tests
{
    [Test]
    public void struct_ops_autocreate()
    {
        ModuleStructOps.Require();
        Subtest("cant_load_full_object", cant_load_full_object);
        Subtest("can_load_partial_object", can_load_partial_object);
        Subtest("autoload_and_shadow_vars", autoload_and_shadow_vars);
        Subtest("optional_maps", optional_maps);
    }

    private static int TestResult(BpfSkeleton skel) => BitConverter.ToInt32(skel.Map(".bss").Data);

    private static void cant_load_full_object()
    {
        using var skel = ModuleStructOps.Open("struct_ops_autocreate");
        if (!ASSERT_OK_PTR(skel, "struct_ops_autocreate__open"))
            return;
        if (start_libbpf_log_capture() != 0)
            return;
        int err = skel.TryLoad();
        string? log = LogCapture.Stop();
        ASSERT_ERR(err, "struct_ops_autocreate__load");
        ASSERT_HAS_SUBSTR(log, "libbpf: struct_ops init_kern", "init_kern message");
        ASSERT_EQ(err, -Errno.ENOTSUP, "errno should be ENOTSUP");
    }

    private static int start_libbpf_log_capture() => LogCapture.Start();

    private static void check_test_1_link(BpfSkeleton skel, string map)
    {
        using var link = skel.Map(map).AttachStructOps();
        if (!ASSERT_OK_PTR(link, "bpf_map__attach_struct_ops"))
            return;
        ASSERT_EQ(TestResult(skel), 42, "test_1_result");
    }

    private static void can_load_partial_object()
    {
        using var skel = ModuleStructOps.Open("struct_ops_autocreate");
        if (!ASSERT_OK_PTR(skel, "struct_ops_autocreate__open_opts"))
            return;
        skel.Map("testmod_2").AutoCreate = false;
        ASSERT_OK(0, "bpf_map__set_autocreate");
        ASSERT_TRUE(skel.Program("test_1").AutoLoad, "test_1 default autoload");
        ASSERT_TRUE(skel.Program("test_2").AutoLoad, "test_2 default autoload");
        if (!ASSERT_OK(skel.TryLoad(), "struct_ops_autocreate__load"))
            return;
        ASSERT_TRUE(skel.Program("test_1").AutoLoad, "test_1 actual autoload");
        ASSERT_FALSE(skel.Program("test_2").AutoLoad, "test_2 actual autoload");
        check_test_1_link(skel, "testmod_1");
    }

    private static void autoload_and_shadow_vars()
    {
        using var skel = ModuleStructOps.Open("struct_ops_autocreate2");
        if (!ASSERT_OK_PTR(skel, "struct_ops_autocreate__open_opts"))
            return;
        ASSERT_FALSE(skel.Program("foo").AutoLoad, "foo default autoload");
        ASSERT_FALSE(skel.Program("bar").AutoLoad, "bar default autoload");
        // loading the map referencing 'foo' instead of 'bar' through the shadow type
        skel.StructOps("testmod_1").SetProgram("test_1", skel.Program("foo"));
        if (!ASSERT_OK(skel.TryLoad(), "struct_ops_autocreate__load"))
            return;
        ASSERT_TRUE(skel.Program("foo").AutoLoad, "foo actual autoload");
        ASSERT_FALSE(skel.Program("bar").AutoLoad, "bar actual autoload");
        using var link = skel.Map("testmod_1").AttachStructOps();
        if (!ASSERT_OK_PTR(link, "bpf_map__attach_struct_ops"))
            return;
        // test_1() would be called from bpf_dummy_reg() in bpf_testmod.c
        ASSERT_EQ(TestResult(skel), 42, "test_1_result");
    }

    private static void optional_maps()
    {
        using var skel = ModuleStructOps.Open("struct_ops_autocreate");
        if (!ASSERT_OK_PTR(skel, "struct_ops_autocreate__open"))
            return;
        ASSERT_TRUE(skel.Map("testmod_1").AutoCreate, "testmod_1 autocreate");
        ASSERT_TRUE(skel.Map("testmod_2").AutoCreate, "testmod_2 autocreate");
        ASSERT_FALSE(skel.Map("optional_map").AutoCreate, "optional_map autocreate");
        ASSERT_FALSE(skel.Map("optional_map2").AutoCreate, "optional_map2 autocreate");
        skel.Map("testmod_1").AutoCreate = false;
        skel.Map("testmod_2").AutoCreate = false;
        skel.Map("optional_map2").AutoCreate = true;
        ASSERT_OK(0, "bpf_map__set_autocreate");
        if (!ASSERT_OK(skel.TryLoad(), "struct_ops_autocreate__load"))
            return;
        ASSERT_TRUE(skel.Program("test_1").AutoLoad, "test_1 actual autoload");
        ASSERT_FALSE(skel.Program("test_2").AutoLoad, "test_2 actual autoload");
        check_test_1_link(skel, "optional_map2");
    }
}
