using BpfHarness;
using BpfLoader.Diagnostics;
using BpfTests.Skeletons;
using NUnit.Framework;
using static BpfHarness.TP;

namespace BpfTests.StructOps;

/// <summary>Port of prog_tests/bad_struct_ops.c.</summary>
public class bad_struct_ops_tests
{
    [Test]
    public void bad_struct_ops()
    {
        Subtest("invalid_prog_reuse", invalid_prog_reuse);
        Subtest("unused_program", unused_program);
    }

    private static void invalid_prog_reuse()
    {
        ModuleStructOps.Require();
        using var skel = BadStructOps.Open();
        if (!ASSERT_OK_PTR(skel, "bad_struct_ops__open"))
            return;
        if (LogCapture.Start() != 0)
            return;
        int err = skel.TryLoad();
        string? log = LogCapture.Stop();
        ASSERT_ERR(err, "bad_struct_ops__load should fail");
        ASSERT_HAS_SUBSTR(log, "struct_ops init_kern testmod_2 func ptr test_1: invalid reuse of prog test_1", "expected init_kern message");
    }

    private static void unused_program()
    {
        using var skel = BadStructOps2.Open();
        if (!ASSERT_OK_PTR(skel, "bad_struct_ops2__open"))
            return;
        ASSERT_TRUE(skel.Progs.Foo.AutoLoad, "foo autoload == true");
        if (LogCapture.Start() != 0)
            return;
        int err = skel.TryLoad();
        ASSERT_ERR(err, "bad_struct_ops2__load should fail");
        string? log = LogCapture.Stop();
        ASSERT_HAS_SUBSTR(log, "prog 'foo': failed to load", "message about 'foo' failing to load");
        // The whole libbpf 1.7 sequence, line by line.
        ASSERT_STREQ(log,
            "libbpf: prog 'foo': SEC(\"struct_ops\") program isn't referenced anywhere, did you forget to use it?\n" +
            "libbpf: prog 'foo': failed to load: -EINVAL\n" +
            "libbpf: failed to load object 'bad_struct_ops2'\n" +
            "libbpf: failed to load BPF skeleton 'bad_struct_ops2': -EINVAL\n", "libbpf log sequence");
        ASSERT_EQ(err, -Errno.EINVAL, "errno");
    }
}
