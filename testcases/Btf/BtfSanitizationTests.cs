using BpfLoader.Btf;
using BpfLoader.Kernel;
using BpfLoader.Objects;
using NUnit.Framework;
using Shouldly;

namespace BpfTests.Btf;

/// <summary>Feature probes are real BTF loads; objects still load when their BTF must be rewritten for an older kernel.</summary>
public class BtfSanitizationTests
{
    [Test]
    public void ThisKernelHasTheBtfFeaturesOfAModernKernel()
    {
        // The host kernel is 6.x: every probe must succeed; a failing probe would mean a wrong probe blob.
        foreach (var feature in Enum.GetValues<BtfFeature>())
        {
            if (feature == BtfFeature.QuestionMarkDatasec && BpfHarness.Kernel.Version < BpfHarness.KernelVersion.Parse("6.9"))
                continue;
            BtfFeatures.Has(feature).ShouldBeTrue($"probe for {BtfFeatures.Describe(feature)}");
        }
    }

    [Test]
    public void ProbeBlobsAreRejectedWhenBroken()
    {
        // The same mechanism must be able to say "no": a DATASEC named with a non-printable first char.
        var btf = BpfLoader.Btf.Btf.CreateEmpty(null, "bad");
        int i = btf.AddInt("int", 4, BtfIntEncoding.Signed);
        int v = btf.AddVar("x", i, BtfVarLinkage.Static);
        btf.AddDatasec("\u0007foo", 4, [new BtfVarSecInfo(v, 0, 4)]);
        int fd = BpfSyscall.TryBtfLoad(btf.ToBytes(), [], 0);
        fd.ShouldBeLessThan(0);
    }

    [TestCase(BtfFeature.Datasec)]
    [TestCase(BtfFeature.Func)]
    [TestCase(BtfFeature.GlobalFunc)]
    [TestCase(BtfFeature.DeclTag)]
    [TestCase(BtfFeature.TypeTag)]
    [TestCase(BtfFeature.Enum64)]
    [TestCase(BtfFeature.Float)]
    public void ObjectLoadsWithBtfSanitizedForAMissingFeature(BtfFeature missing)
    {
        using var obj = BpfObject.Open(Progs.Path("global_data"), new ObjectOpenOptions { AssumeMissingBtfFeatures = new HashSet<BtfFeature> { missing } });
        obj.Load();
        obj.Program("read_globals").TestRun(new byte[64]);
        BitConverter.ToUInt64(obj.Map(".bss").Data).ShouldBe(42ul + 1 + 2 + 0x1122334455667788ul + 7 + 5);
        obj.Btf!.FindByName(".bss", BtfKind.Datasec).ShouldBeGreaterThan(0, "the object's own BTF is not rewritten");
    }

    [Test]
    public void QuestionMarkDatasecBecomesUnderscoreInTheLoadedCopy()
    {
        var btf = BpfLoader.Btf.Btf.CreateEmpty(null, "q");
        int i = btf.AddInt("int", 4, BtfIntEncoding.Signed);
        int v = btf.AddVar("x", i, BtfVarLinkage.Static);
        int ds = btf.AddDatasec("?.struct_ops", 4, [new BtfVarSecInfo(v, 0, 4)]);
        var copy = BtfSanitizer.Sanitize(btf, new HashSet<BtfFeature> { BtfFeature.QuestionMarkDatasec });
        copy[ds].Name.ShouldBe("_.struct_ops");
        btf[ds].Name.ShouldBe("?.struct_ops");
        int fd = BpfSyscall.TryBtfLoad(copy.ToBytes(), [], 0);
        fd.ShouldBeGreaterThanOrEqualTo(0, "the sanitized name loads on every kernel");
        new FileDescriptor(fd).Dispose();
    }
}
