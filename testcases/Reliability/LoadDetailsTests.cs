using BpfLoader.Btf;
using BpfLoader.Diagnostics;
using BpfLoader.Objects;
using BpfLoader.Programs;
using NUnit.Framework;
using Shouldly;

namespace BpfTests.Reliability;

/// <summary>
/// Load-time details issue 17's mutation pass found unguarded: hidden-visibility globals' BTF linkage and the
/// verifier log buffer growing on ENOSPC.
/// </summary>
public class LoadDetailsTests
{
    [Test]
    public void HiddenGlobalGetsStaticLinkageInTheLoadedBtf()
    {
        using var obj = BpfObject.Open(Progs.Path("hidden_globals"));
        obj.Prepare();
        var btf = obj.Btf!;
        btf[btf.FindByName("hidden_counter", BtfKind.Var)].VarLinkage.ShouldBe(BtfVarLinkage.Static);
        btf[btf.FindByName("visible_counter", BtfKind.Var)].VarLinkage.ShouldBe(BtfVarLinkage.GlobalAllocated);
        obj.Load();
        obj.Program("touch_globals").Fd.ShouldBeGreaterThan(0);
    }

    [Test]
    public void VerifierLogGrowsOnEnospcUntilItFits()
    {
        string Rejected(uint initialLogSize)
        {
            using var obj = BpfObject.Open(Progs.Path("rejected"));
            var prog = obj.Program("unchecked_lookup");
            prog.InitialLogSize = initialLogSize;
            var ex = Should.Throw<BpfProgramLoadException>(() => obj.Load());
            ex.Error.ShouldBe(-Errno.EACCES, "the verifier's verdict, not the log's ENOSPC");
            // Map addresses differ between loads.
            return System.Text.RegularExpressions.Regex.Replace(ex.VerifierLog ?? "", "0x[0-9a-f]{8,}", "ADDR");
        }
        string full = Rejected(16 << 20);
        full.Length.ShouldBeGreaterThan(200);
        // 128 bytes (the smallest log every kernel accepts: 6.1 refuses less with -EINVAL) hold a fraction of
        // it: ENOSPC, then 256, 512, ... until the whole log fits.
        Rejected(128).ShouldBe(full);
    }
}

/// <summary>
/// The <c>?</c> DATASEC probe (issue 17): on a kernel that has the feature the probe answers yes whatever its blob
/// holds, so these tests check the blob and the decision directly.
/// </summary>
public class QuestionMarkDatasecProbeTests
{
    private static byte[] Renamed(byte[] blob, string newPrefix)
    {
        var btf = BpfLoader.Btf.Btf.Parse((byte[])blob.Clone(), null, "probe");
        int sec = Enumerable.Range(btf.StartId, btf.LastId).First(id => btf[id].Kind == BtfKind.Datasec);
        btf.SetName(sec, newPrefix + btf[sec].Name[1..]);
        return btf.ToBytes();
    }

    private static string Shape(byte[] blob)
    {
        var btf = BpfLoader.Btf.Btf.Parse(blob, null, "probe");
        return string.Join(";", Enumerable.Range(btf.StartId, btf.LastId).Select(id => $"{btf[id].Kind} {btf[id].Name} {btf[id].Size}"));
    }

    [Test]
    public void ProbeBlobNamesItsDatasecWithAQuestionMark()
    {
        var blob = BpfLoader.Kernel.BtfFeatures.ProbeBlob(BpfLoader.Kernel.BtfFeature.QuestionMarkDatasec);
        var btf = BpfLoader.Btf.Btf.Parse(blob, null, "probe");
        var sections = Enumerable.Range(btf.StartId, btf.LastId).Select(id => btf[id]).Where(t => t.Kind == BtfKind.Datasec).ToList();
        sections.Count.ShouldBe(1);
        sections[0].Name.ShouldStartWith("?");
        // Only the name differs from the plain DATASEC probe: the '?' is all the probe asks the kernel about.
        Shape(Renamed(blob, "")).ShouldBe(Shape(BpfLoader.Kernel.BtfFeatures.ProbeBlob(BpfLoader.Kernel.BtfFeature.Datasec)));
    }

    [Test]
    public void KernelJudgesTheProbeByItsName()
    {
        BpfHarness.Gates.Gate.RequireKernel("6.9", "DATASEC names starting with '?' are accepted since Linux 6.9");
        var blob = BpfLoader.Kernel.BtfFeatures.ProbeBlob(BpfLoader.Kernel.BtfFeature.QuestionMarkDatasec);
        int fd = BpfLoader.Kernel.BpfSyscall.TryBtfLoad(blob, [], 0);
        if (fd >= 0)
            BpfLoader.Interop.Native.Close(fd);
        fd.ShouldBeGreaterThanOrEqualTo(0);
        // The same blob with a character the kernel never allows is refused: the probe can say no.
        int bad = BpfLoader.Kernel.BpfSyscall.TryBtfLoad(Renamed(blob, "\a"), [], 0);
        if (bad >= 0)
            BpfLoader.Interop.Native.Close(bad);
        bad.ShouldBeLessThan(0);
    }

    [Test]
    public void DecisionFollowsWhatTheKernelLacks()
    {
        var lacksQuestionMark = BpfLoader.Kernel.BtfFeatures.Missing(f => f != BpfLoader.Kernel.BtfFeature.QuestionMarkDatasec);
        lacksQuestionMark.ShouldBe([BpfLoader.Kernel.BtfFeature.QuestionMarkDatasec]);
        BpfLoader.Kernel.BtfFeatures.Missing(_ => true).ShouldBeEmpty();
        // Forced path: an object with a '?' DATASEC loads on this kernel with the decision of one lacking it.
        using var obj = BpfObject.Open(Progs.Path("tcp_ca_plain"), new ObjectOpenOptions { AssumeMissingBtfFeatures = lacksQuestionMark });
        obj.Btf!.FindByName("?.struct_ops", BtfKind.Datasec).ShouldBeGreaterThan(0);
        obj.Prepare();
    }
}
