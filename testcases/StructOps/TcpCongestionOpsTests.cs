using BpfHarness;
using BpfHarness.Gates;
using BpfLoader.Btf;
using BpfLoader.Diagnostics;
using BpfLoader.Kernel;
using BpfLoader.Objects;
using BpfLoader.StructOps;
using NUnit.Framework;
using Shouldly;
using static BpfHarness.TP;

namespace BpfTests.StructOps;

/// <summary>
/// struct_ops on the running kernel's own <c>tcp_congestion_ops</c>, so the struct_ops features run without a
/// test module: the kernel's list of congestion control algorithms shows what got registered.
/// </summary>
[NonParallelizable]
public class TcpCongestionOpsTests
{
    private static BpfLoader.Btf.Btf Vmlinux => BpfLoader.Btf.Btf.KernelVmlinux;

    private static void RequireStructOpsLink()
        => Gate.RequireKernel("6.4", "needs .struct_ops.link maps (BPF_F_LINK, BPF_LINK_CREATE with BPF_STRUCT_OPS)");

    private static ulong Bss(BpfObject obj, string name)
    {
        var btf = obj.Btf!;
        foreach (var v in btf[btf.FindByName(".bss", BtfKind.Datasec)].DatasecVars)
        {
            if (btf[v.Type].Name == name)
                return BitConverter.ToUInt64(obj.Map(".bss").Data[(int)v.Offset..]);
        }
        throw new InvalidOperationException(name);
    }

    [Test]
    public void SuffixedLocalTypeRegistersAndDisposingTheLinkUnregisters()
    {
        RequireStructOpsLink();
        using var obj = BpfObject.Open(Progs.Path("tcp_ca"));
        var map = obj.Map("ca_one");
        map.StructOps.ShouldNotBeNull().LocalTypeName.ShouldBe("tcp_congestion_ops___v1");
        obj.Load();
        int kernelType = Vmlinux.FindByName("tcp_congestion_ops", BtfKind.Struct);
        BpfLoader.Maps.MapInfo.Read(map.Fd)!.BtfVmlinuxValueTypeId
            .ShouldBe((uint)Vmlinux.FindByName("bpf_struct_ops_tcp_congestion_ops", BtfKind.Struct));
        obj.Program("ca_ssthresh").AttachBtfId.ShouldBe(kernelType);
        using (var link = map.AttachStructOps())
        {
            link.IsKernelLink.ShouldBeTrue();
            CongestionControl.IsRegistered("bpftests_one").ShouldBeTrue();
            CongestionControl.ConnectUsing("bpftests_one").ShouldBe("bpftests_one");
            Bss(obj, "init_calls").ShouldBeGreaterThan(0ul, "the kernel ran our init program for the connection");
        }
        CongestionControl.IsRegistered("bpftests_one").ShouldBeFalse("disposing the link unregistered the algorithm");
    }

    [Test]
    public void OneProgramServesMapsOfDifferentLocalTypes()
    {
        RequireStructOpsLink();
        using var obj = BpfObject.Open(Progs.Path("tcp_ca"));
        obj.Map("ca_two").StructOps!.LocalTypeName.ShouldBe("tcp_congestion_ops___v2");
        obj.Load();
        var ssthresh = obj.Program("ca_ssthresh");
        var kernelMembers = Vmlinux[Vmlinux.FindByName("tcp_congestion_ops", BtfKind.Struct)].Members.Select(m => m.Name).ToList();
        ((int)ssthresh.ExpectedAttachType).ShouldBe(kernelMembers.IndexOf("ssthresh"), "expected_attach_type is the kernel member index");
        using var one = obj.Map("ca_one").AttachStructOps();
        using var two = obj.Map("ca_two").AttachStructOps();
        CongestionControl.Available().ShouldContain("bpftests_one");
        CongestionControl.Available().ShouldContain("bpftests_two");
    }

    [Test]
    public void OptionalMapStartsWithoutAutocreateAndItsOnlyProgramFollows()
    {
        RequireStructOpsLink();
        using (var obj = BpfObject.Open(Progs.Path("tcp_ca")))
        {
            obj.Map("ca_optional").AutoCreate.ShouldBeFalse("'?.struct_ops.link' maps start with autocreate off");
            obj.Program("ca_init_optional").AutoLoad.ShouldBeTrue("autoload follows the maps only at load");
            obj.Load();
            obj.Program("ca_init_optional").AutoLoad.ShouldBeFalse();
            obj.Program("ca_init_optional").IsLoaded.ShouldBeFalse();
            obj.Map("ca_optional").IsCreated.ShouldBeFalse();
        }
        using (var obj = BpfObject.Open(Progs.Path("tcp_ca")))
        {
            obj.Map("ca_optional").AutoCreate = true;
            obj.Map("ca_one").AutoCreate = false;
            obj.Map("ca_two").AutoCreate = false;
            obj.Load();
            obj.Program("ca_init").IsLoaded.ShouldBeFalse("only the maps not created referenced it");
            obj.Program("ca_init_optional").IsLoaded.ShouldBeTrue();
            using var link = obj.Map("ca_optional").AttachStructOps();
            CongestionControl.IsRegistered("bpftests_opt").ShouldBeTrue();
        }
    }

    [Test]
    public void ShadowFieldsChangeNameAndProgramSlotsBeforeLoad()
    {
        RequireStructOpsLink();
        using var obj = BpfObject.Open(Progs.Path("tcp_ca"));
        var shadow = obj.Map("ca_one").StructOps!;
        shadow.GetString("name").ShouldBe("bpftests_one");
        shadow.GetProgram("undo_cwnd")!.Name.ShouldBe("ca_undo_cwnd");
        shadow.SetString("name", "bpftests_shadow");
        shadow.SetProgram("undo_cwnd", obj.Program("ca_undo_cwnd_alt"));
        shadow.SetProgram("init", null);
        obj.Map("ca_two").AutoCreate = false;
        obj.Load();
        obj.Program("ca_init").IsLoaded.ShouldBeFalse("its only slot was emptied through the shadow");
        obj.Program("ca_undo_cwnd").IsLoaded.ShouldBeFalse("replaced in every created map");
        obj.Program("ca_undo_cwnd_alt").IsLoaded.ShouldBeTrue();
        Should.Throw<BpfException>(() => shadow.SetString("name", "too_late")).Error.ShouldBe(-Errno.EBUSY);
        using var link = obj.Map("ca_one").AttachStructOps();
        CongestionControl.IsRegistered("bpftests_shadow").ShouldBeTrue();
        CongestionControl.IsRegistered("bpftests_one").ShouldBeFalse();
        CongestionControl.ConnectUsing("bpftests_shadow").ShouldBe("bpftests_shadow");
        Bss(obj, "init_calls").ShouldBe(0ul, "init was nulled out");
    }

    [Test]
    public void LinkUpdateSwitchesMapsAndDetachUnregisters()
    {
        RequireStructOpsLink();
        using var obj = BpfObject.Open(Progs.Path("tcp_ca"));
        // tcp_congestion_ops can only be replaced by ops of the same name.
        obj.Map("ca_two").StructOps!.SetString("name", "bpftests_one");
        obj.Load();
        using var link = obj.Map("ca_one").AttachStructOps();
        CongestionControl.ConnectUsing("bpftests_one");
        ulong initCalls = Bss(obj, "init_calls");
        initCalls.ShouldBeGreaterThan(0ul);
        link.UpdateMap(obj.Map("ca_two"));
        link.Map.Name.ShouldBe("ca_two");
        CongestionControl.ConnectUsing("bpftests_one");
        Bss(obj, "init_calls").ShouldBe(initCalls, "ca_two has no init: the link now runs ca_two's programs");
        link.Detach();
        CongestionControl.IsRegistered("bpftests_one").ShouldBeFalse("BPF_LINK_DETACH unregistered it");
    }

    [Test]
    public void PlainStructOpsMapRegistersOnUpdateAndUnregistersOnDispose()
    {
        using var obj = BpfObject.Open(Progs.Path("tcp_ca_plain"));
        obj.Map("ca_plain_opt").AutoCreate.ShouldBeFalse();
        obj.Load();
        using (var link = obj.Map("ca_plain").AttachStructOps())
        {
            link.IsKernelLink.ShouldBeFalse();
            CongestionControl.IsRegistered("bpftests_plain").ShouldBeTrue();
        }
        CongestionControl.IsRegistered("bpftests_plain").ShouldBeFalse();
    }

    [Test]
    public void QuestionMarkDatasecIsSanitizedWhenTheKernelLacksIt()
    {
        // Exercise the 6.1 path on any kernel: pretend '?' DATASEC names are unsupported.
        using var obj = BpfObject.Open(Progs.Path("tcp_ca_plain"),
            new ObjectOpenOptions { AssumeMissingBtfFeatures = new HashSet<BtfFeature> { BtfFeature.QuestionMarkDatasec } });
        obj.Map("ca_plain_opt").AutoCreate = true;
        obj.Map("ca_plain").AutoCreate = false;
        obj.Load();
        obj.Btf!.FindByName("?.struct_ops", BtfKind.Datasec).ShouldBeGreaterThan(0, "the object's BTF keeps its name");
        using var link = obj.Map("ca_plain_opt").AttachStructOps();
        CongestionControl.IsRegistered("bpftests_popt").ShouldBeTrue();
    }

    [Test]
    public void SetMissingKernelMemberFailsWithEopnotsupp()
    {
        using var obj = BpfObject.Open(Progs.Path("tcp_ca_extra"));
        ASSERT_OK(LogCapture.Start(), "start_log_capture");
        var ex = Should.Throw<BpfException>(() => obj.Load());
        string? log = LogCapture.Stop();
        ASSERT_EQ(ex.Error, -Errno.ENOTSUP, "errno should be ENOTSUP");
        ASSERT_STREQ(log, "libbpf: struct_ops init_kern ca_missing_prog: Cannot find member does_not_exist in kernel BTF\n", "init_kern message");
    }

    [Test]
    public void ZeroMissingKernelMembersAreSkippedWithInfo()
    {
        using var obj = BpfObject.Open(Progs.Path("tcp_ca_extra"));
        obj.Map("ca_missing_prog").AutoCreate = false;
        obj.Map("ca_missing_zero").AutoCreate = true;
        ASSERT_OK(LogCapture.Start(), "start_log_capture");
        obj.Load();
        string? log = LogCapture.Stop();
        ASSERT_STREQ(log,
            "libbpf: struct_ops ca_missing_zero: member does_not_exist not found in kernel, skipping it as it's set to zero\n" +
            "libbpf: struct_ops ca_missing_zero: member not_in_kernel not found in kernel, skipping it as it's set to zero\n",
            "zeroed members");
        obj.Program("extra_op").IsLoaded.ShouldBeFalse("only the map not created referenced it");
        using var link = obj.Map("ca_missing_zero").AttachStructOps();
        CongestionControl.IsRegistered("bpftests_zero").ShouldBeTrue();
    }

    [Test]
    public void AttachingANonStructOpsMapIsRefused()
    {
        using var obj = BpfObject.Open(Progs.Path("tcp_ca_plain"));
        obj.Load();
        using var plain = new BpfLoader.Maps.BpfMap("not_st_ops", BpfMapType.Array, 4, 4, 1);
        plain.Create();
        ASSERT_OK(LogCapture.Start(), "start_log_capture");
        Should.Throw<BpfException>(() => plain.AttachStructOps()).Error.ShouldBe(-Errno.EINVAL);
        LogCapture.Stop().ShouldBe("libbpf: map 'not_st_ops': can't attach non-struct_ops map\n");
    }
}
