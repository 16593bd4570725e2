using BpfLoader.Diagnostics;
using NUnit.Framework;
using static BpfHarness.TP;

namespace BpfTests.Skeletons;

/// <summary>
/// Port of prog_tests/skeleton.c on the generated <see cref="TestSkeleton"/> (progs/test_skeleton.bpf.c):
/// initial values through the typed views, inputs set before load (.rodata included), .rodata read-only after
/// load, kconfig externs, and the values the program saw on sys_enter read back through the mmap'ed sections.
/// </summary>
public class skeleton_tests
{
    [Test]
    public void skeleton()
    {
        using var skel = TestSkeleton.Open();
        if (!ASSERT_OK_PTR(skel, "skel_open"))
            return;

        ASSERT_EQ(skel.Data.In1, -1, "in1 initial");
        ASSERT_EQ(skel.Data.In2, -1, "in2 initial");
        ASSERT_EQ(skel.Data.In5.A, 3, "in5.a initial");
        ASSERT_EQ(skel.Data.In5.B, 4, "in5.b initial");
        ASSERT_EQ(skel.Bss.Out1, 0, "out1 zeroed");
        ASSERT_EQ(skel.Bss.Out2, 0, "out2 zeroed");
        ASSERT_EQ(skel.Rodata.In3, -1, "in3 initial");
        ASSERT_EQ(skel.Rodata.In4.A, -1, "in4.a initial");
        ASSERT_EQ(skel.RodataDyn.InDynarrSz, 4, "in_dynarr_sz");
        ASSERT_EQ(skel.RodataDyn.InDynarr[3], -4, "in_dynarr[3]");
        ASSERT_EQ(skel.DataDyn.OutDynarr[3], 4, "out_dynarr[3]");
        ASSERT_EQ(skel.DataReadMostly.ReadMostlyVar, 0, "read_mostly_var zeroed");

        skel.Data.In1 = 1;
        skel.Data.In2 = 2;
        skel.Data.In5.A = 10;
        skel.Rodata.In3 = 3;
        skel.Rodata.In4.A = 4;
        skel.Rodata.In4.B = 5;
        skel.Rodata.TargetPid = Environment.ProcessId;
        for (int i = 0; i < skel.RodataDyn.InDynarr.Length; i++)
            skel.RodataDyn.InDynarr[i] = 100 + i;
        skel.DataReadMostly.ReadMostlyVar = 123;

        if (!ASSERT_OK(skel.TryLoad(), "skel_load"))
            return;

        // .rodata is frozen and mapped read-only: reads work, writes are refused.
        ASSERT_EQ(skel.Rodata.In3, 3, "in3 after load");
        ASSERT_FALSE(skel.Maps.Rodata.IsDataWritable, "rodata read-only");
        int err = 0;
        try
        {
            skel.Rodata.In3 = 99;
        }
        catch (BpfException e)
        {
            err = e.Error;
        }
        ASSERT_EQ(err, -Errno.EPERM, "rodata write after load");
        ASSERT_GT(skel.Kconfig.LINUX_KERNEL_VERSION, 0, "LINUX_KERNEL_VERSION");
        ASSERT_TRUE(skel.Kconfig.CONFIG_BPF_SYSCALL, "CONFIG_BPF_SYSCALL");

        // .data is live after load: this write reaches the program.
        skel.Data.In1 = 11;
        skel.Attach();
        _ = BpfLoader.Interop.Native.GetPgid(0);

        ASSERT_EQ(skel.Bss.Out1, 11, "out1");
        ASSERT_EQ(skel.Bss.Out2, 2, "out2");
        ASSERT_EQ(skel.Bss.Out3, 3 + 4, "out3");
        ASSERT_EQ(skel.Bss.Out5.A, 10 + 4, "out5.a");
        ASSERT_EQ(skel.Bss.Out5.B, 4 + 5, "out5.b");
        for (int i = 0; i < 4; i++)
            ASSERT_EQ(skel.DataDyn.OutDynarr[i], 100 + i + i, $"out_dynarr[{i}]");
        ASSERT_EQ(skel.Bss.OutMostlyVar, 123, "out_mostly_var");
        ASSERT_EQ(skel.Bss.KernVer, skel.Kconfig.LINUX_KERNEL_VERSION, "kern_ver");
        ASSERT_TRUE(skel.Bss.BpfSyscall, "bpf_syscall");
        ASSERT_STREQ(skel.Progs.Handler.Name, "handler", "program name");
        ASSERT_OK_FD(skel.Maps.Bss.Fd, "bss map fd");
    }
}
