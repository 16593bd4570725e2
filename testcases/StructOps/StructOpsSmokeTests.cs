using BpfLoader.StructOps;
using BpfTests.Skeletons;
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
        using var skel = StructOpsModule.Open();
        skel.Maps.TestmodZeroed.AutoCreate = false;
        skel.StructOps.Testmod1.Data = 38;
        skel.Load();
        using (var link = skel.Maps.Testmod1.AttachStructOps())
        {
            unchecked((uint)skel.Bss.Test1Result).ShouldBe(0xdeadbeefu, "test_1 ran");
            skel.Bss.Test2Result.ShouldBe(4 + 38, "test_2(4, data) ran with the shadow's data");
        }
        var info = BpfLoader.Maps.MapInfo.Read(skel.Maps.Testmod1.Fd).ShouldNotBeNull();
        info.BtfVmlinuxId.ShouldBe(BpfLoader.Kernel.KernelBtfs.Module("bpf_testmod")!.Id, "the value type lives in the module's BTF");
    }
}
