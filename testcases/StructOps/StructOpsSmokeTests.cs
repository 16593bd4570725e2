using BpfLoader.StructOps;
using NUnit.Framework;
using Shouldly;

namespace BpfTests.StructOps;

/// <summary>
/// The vmtest smoke test for module struct_ops through the loader: registering bpf_testmod_ops runs the
/// module's .reg, which calls test_1 and then test_2(4, data); the programs record into .bss.
/// </summary>
[NonParallelizable]
public class StructOpsSmokeTests
{
    [Test]
    public void RegisteringBpfTestmodOpsRunsTest1AndTest2ThroughReg()
    {
        ModuleStructOps.Require();
        using var skel = ModuleStructOps.Open("struct_ops_module");
        skel.Map("testmod_zeroed").AutoCreate = false;
        skel.StructOps("testmod_1").Set("data", 38);
        skel.Load();
        var bss = skel.Map(".bss");
        using (var link = skel.Map("testmod_1").AttachStructOps())
        {
            BitConverter.ToUInt32(bss.Data).ShouldBe(0xdeadbeefu, "test_1 ran");
            BitConverter.ToInt32(bss.Data[4..]).ShouldBe(4 + 38, "test_2(4, data) ran with the shadow's data");
        }
        var info = BpfLoader.Maps.MapInfo.Read(skel.Map("testmod_1").Fd).ShouldNotBeNull();
        info.BtfVmlinuxId.ShouldBe(BpfLoader.Kernel.KernelBtfs.Module("bpf_testmod")!.Id, "the value type lives in the module's BTF");
    }
}
