using BpfLoader.Diagnostics;
using BpfLoader.Objects;
using BpfLoader.Programs;
using NUnit.Framework;
using Shouldly;

namespace BpfTests.Programs;

/// <summary>A program the verifier rejects: the error, its verifier log and libbpf's messages.</summary>
public class VerifierTests
{
    [Test]
    public void RejectedProgramCarriesTheVerifierLog()
    {
        using var obj = BpfObject.Open(Progs.Path("rejected"));
        var ex = Should.Throw<BpfProgramLoadException>(() => obj.Load());
        ex.ProgramName.ShouldBe("unchecked_lookup");
        ex.Error.ShouldBe(-Errno.EACCES);
        ex.VerifierLog.ShouldNotBeNull().ShouldContain("invalid mem access 'map_value_or_null'");
        TestContext.Out.WriteLine(ex.VerifierLog);
        obj.State.ShouldBe(ObjectState.Loaded);
        obj.Program("fine").IsLoaded.ShouldBeFalse("a failed load unloads the whole object");
        obj.Map("values").IsCreated.ShouldBeFalse();
    }

    [Test]
    public void OtherProgramsLoadWhenTheBadOneIsNotAutoloaded()
    {
        using var obj = BpfObject.Open(Progs.Path("rejected"));
        obj.Program("unchecked_lookup").AutoLoad = false;
        obj.Load();
        obj.Program("fine").IsLoaded.ShouldBeTrue();
        obj.Program("unchecked_lookup").IsLoaded.ShouldBeFalse();
    }

    [Test]
    public void RequestedLogLevelReturnsTheLogOfASuccessfulLoad()
    {
        using var obj = BpfObject.Open(Progs.Path("rejected"));
        obj.Program("unchecked_lookup").AutoLoad = false;
        obj.Program("fine").LogLevel = 2;
        obj.Load();
        obj.Program("fine").VerifierLog.ShouldNotBeNull().ShouldContain("processed");
    }
}
