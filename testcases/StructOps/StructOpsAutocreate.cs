using BpfHarness;
using BpfLoader.Diagnostics;
using BpfLoader.Maps;
using BpfLoader.StructOps;
using BpfTests.Skeletons;
using NUnit.Framework;
using static BpfHarness.TP;

namespace BpfTests.StructOps;

/// <summary>
/// Port of prog_tests/struct_ops_autocreate.c with the post-load checks upstream intends but does not make:
/// each map's and program's actual autocreate/autoload after load.
/// </summary>
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

    /// <summary>bpf_map__set_autocreate: 0, or the negative errno the setter refused with.</summary>
    private static int bpf_map__set_autocreate(BpfMap map, bool value)
    {
        try
        {
            map.AutoCreate = value;
            return 0;
        }
        catch (BpfException e)
        {
            return e.Error;
        }
    }

    private static void cant_load_full_object()
    {
        using var skel = StructOpsAutocreate.Open();
        if (!ASSERT_OK_PTR(skel, "struct_ops_autocreate__open"))
            return;
        if (start_libbpf_log_capture() != 0)
            return;
        // The testmod_2 map BTF type (struct bpf_testmod_ops___v2) doesn't match the BTF of the actual struct
        // bpf_testmod_ops defined in the kernel, so we should fail to load it if we don't disable autocreate for that map.
        int err = skel.TryLoad();
        string? log = LogCapture.Stop();
        ASSERT_ERR(err, "struct_ops_autocreate__load");
        ASSERT_HAS_SUBSTR(log, "libbpf: struct_ops init_kern", "init_kern message");
        ASSERT_EQ(err, -Errno.ENOTSUP, "errno should be ENOTSUP");
    }

    private static int start_libbpf_log_capture() => LogCapture.Start();

    private static void check_test_1_link(StructOpsAutocreate skel, BpfMap map)
    {
        using var link = map.AttachStructOps();
        if (!ASSERT_OK_PTR(link, "bpf_map__attach_struct_ops"))
            return;
        // test_1() would be called from bpf_dummy_reg2() in bpf_testmod.c
        ASSERT_EQ(skel.Bss.Test1Result, 42, "test_1_result");
    }

    private static void can_load_partial_object()
    {
        using var skel = StructOpsAutocreate.Open();
        if (!ASSERT_OK_PTR(skel, "struct_ops_autocreate__open_opts"))
            return;
        if (!ASSERT_OK(bpf_map__set_autocreate(skel.Maps.Testmod2, false), "bpf_map__set_autocreate"))
            return;
        ASSERT_TRUE(skel.Progs.Test1.AutoLoad, "test_1 default autoload");
        ASSERT_TRUE(skel.Progs.Test2.AutoLoad, "test_2 default autoload");
        if (!ASSERT_OK(skel.TryLoad(), "struct_ops_autocreate__load"))
            return;
        ASSERT_TRUE(skel.Progs.Test1.AutoLoad, "test_1 actual autoload");
        ASSERT_FALSE(skel.Progs.Test2.AutoLoad, "test_2 actual autoload");
        check_test_1_link(skel, skel.Maps.Testmod1);
    }

    private static void autoload_and_shadow_vars()
    {
        using var skel = StructOpsAutocreate2.Open();
        if (!ASSERT_OK_PTR(skel, "struct_ops_autocreate__open_opts"))
            return;
        ASSERT_FALSE(skel.Progs.Foo.AutoLoad, "foo default autoload");
        ASSERT_FALSE(skel.Progs.Bar.AutoLoad, "bar default autoload");
        // loading the map referencing 'foo' instead of 'bar' through the shadow type
        skel.StructOps.Testmod1.Test1 = skel.Progs.Foo;
        if (!ASSERT_OK(skel.TryLoad(), "struct_ops_autocreate__load"))
            return;
        ASSERT_TRUE(skel.Progs.Foo.AutoLoad, "foo actual autoload");
        ASSERT_FALSE(skel.Progs.Bar.AutoLoad, "bar actual autoload");
        using var link = skel.Maps.Testmod1.AttachStructOps();
        if (!ASSERT_OK_PTR(link, "bpf_map__attach_struct_ops"))
            return;
        // test_1() would be called from bpf_dummy_reg() in bpf_testmod.c
        ASSERT_EQ(skel.Bss.Test1Result, 42, "test_1_result");
    }

    private static void optional_maps()
    {
        using var skel = StructOpsAutocreate.Open();
        if (!ASSERT_OK_PTR(skel, "struct_ops_autocreate__open"))
            return;
        ASSERT_TRUE(skel.Maps.Testmod1.AutoCreate, "testmod_1 autocreate");
        ASSERT_TRUE(skel.Maps.Testmod2.AutoCreate, "testmod_2 autocreate");
        ASSERT_FALSE(skel.Maps.OptionalMap.AutoCreate, "optional_map autocreate");
        ASSERT_FALSE(skel.Maps.OptionalMap2.AutoCreate, "optional_map2 autocreate");
        int err = bpf_map__set_autocreate(skel.Maps.Testmod1, false);
        if (err == 0)
            err = bpf_map__set_autocreate(skel.Maps.Testmod2, false);
        if (err == 0)
            err = bpf_map__set_autocreate(skel.Maps.OptionalMap2, true);
        if (!ASSERT_OK(err, "bpf_map__set_autocreate"))
            return;
        if (!ASSERT_OK(skel.TryLoad(), "struct_ops_autocreate__load"))
            return;
        ASSERT_TRUE(skel.Progs.Test1.AutoLoad, "test_1 actual autoload");
        ASSERT_FALSE(skel.Progs.Test2.AutoLoad, "test_2 actual autoload");
        check_test_1_link(skel, skel.Maps.OptionalMap2);
    }
}
