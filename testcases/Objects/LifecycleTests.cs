using BpfHarness;
using BpfLoader.Diagnostics;
using BpfLoader.Objects;
using NUnit.Framework;
using Shouldly;
using static BpfHarness.TP;

namespace BpfTests.Objects;

/// <summary>Object states, autoload and autocreate, and the libbpf messages of those paths.</summary>
public class LifecycleTests
{
    [Test]
    public void QuestionMarkSectionStartsWithAutoloadOff()
    {
        using var obj = BpfObject.Open(Progs.Path("autoload"));
        var optional = obj.Program("optional_prog");
        optional.SectionName.ShouldBe("tc", "the '?' is not part of the section name");
        optional.AutoLoad.ShouldBeFalse();
        obj.Program("always").AutoLoad.ShouldBeTrue();
        obj.Load();
        obj.Program("always").IsLoaded.ShouldBeTrue();
        optional.IsLoaded.ShouldBeFalse();
        optional.Fd.ShouldBe(-1);
    }

    [Test]
    public void AutoloadCanBeSwitchedOnBeforeLoad()
    {
        using var obj = BpfObject.Open(Progs.Path("autoload"));
        obj.Program("optional_prog").AutoLoad = true;
        obj.Load();
        obj.Map("optional_map").Update(0u, 77u);
        obj.Program("optional_prog").TestRun(new byte[64]).ReturnValue.ShouldBe(77u);
    }

    [Test]
    public void AutoloadCannotChangeAfterLoad()
    {
        using var obj = BpfObject.Open(Progs.Path("autoload"));
        obj.Load();
        var ex = Should.Throw<BpfException>(() => obj.Program("always").AutoLoad = false);
        ex.Error.ShouldBe(-Errno.EINVAL);
    }

    [Test]
    public void AutocreateOffLeavesTheMapUncreatedAndCannotChangeAfterLoad()
    {
        using var obj = BpfObject.Open(Progs.Path("autoload"));
        var map = obj.Map("optional_map");
        map.AutoCreate = false;
        obj.Load();
        map.IsCreated.ShouldBeFalse();
        map.Fd.ShouldBeGreaterThan(0, "the placeholder fd stays");
        Should.Throw<BpfException>(() => map.AutoCreate = true).Error.ShouldBe(-Errno.EBUSY);
    }

    [Test]
    public void ProgramUsingAnUncreatedMapIsPoisonedAndRejected()
    {
        using var obj = BpfObject.Open(Progs.Path("autoload"));
        obj.Map("optional_map").AutoCreate = false;
        obj.Program("optional_prog").AutoLoad = true;
        var ex = Should.Throw<BpfLoader.Programs.BpfProgramLoadException>(() => obj.Load());
        ex.ProgramName.ShouldBe("optional_prog");
        // The poisoned ld_imm64 is an invalid call (unknown#2001000000); libbpf's log fix-up explains it.
        ex.VerifierLog.ShouldNotBeNull().ShouldContain(": <invalid BPF map reference>\nBPF map 'optional_map' is referenced but wasn't created\n");
        ex.VerifierLog.ShouldNotContain("invalid func unknown#2001000000");
    }

    [Test]
    public void SecondLoadIsRefusedWithLibbpfMessage()
    {
        using var obj = BpfObject.Open(Progs.Path("autoload"));
        obj.Load();
        ASSERT_OK(LogCapture.Start(), "start_log_capture");
        var ex = Should.Throw<BpfException>(() => obj.Load());
        string? log = LogCapture.Stop();
        ex.Error.ShouldBe(-Errno.EINVAL);
        ASSERT_STREQ(log, "libbpf: object 'autoload': load can't be attempted twice\n", "second load message");
    }

    [Test]
    public void PrepareThenLoadRunsEachPhaseOnce()
    {
        using var obj = BpfObject.Open(Progs.Path("autoload"));
        obj.Prepare();
        obj.State.ShouldBe(ObjectState.Prepared);
        obj.Map("optional_map").IsCreated.ShouldBeTrue("maps are created in the prepare phase");
        obj.Program("always").IsLoaded.ShouldBeFalse("programs load in the load phase");
        Should.Throw<BpfException>(() => obj.Prepare()).Message.ShouldContain("prepare loading can't be attempted twice");
        obj.Load();
        obj.State.ShouldBe(ObjectState.Loaded);
        obj.Program("always").IsLoaded.ShouldBeTrue();
    }

    [Test]
    public void VerifierRejectionLogsLibbpfLinesInOrder()
    {
        using var obj = BpfObject.Open(Progs.Path("rejected"));
        ASSERT_OK(LogCapture.Start(), "start_log_capture");
        Should.Throw<BpfException>(() => obj.Load());
        string log = LogCapture.Stop() ?? "";
        var lines = log.Split('\n');
        lines[0].ShouldBe("libbpf: prog 'unchecked_lookup': BPF program load failed: -EACCES");
        lines[1].ShouldBe("libbpf: prog 'unchecked_lookup': -- BEGIN PROG LOAD LOG --");
        log.ShouldContain("R0 invalid mem access 'map_value_or_null'");
        log.ShouldContain("-- END PROG LOAD LOG --\nlibbpf: prog 'unchecked_lookup': failed to load: -EACCES\n");
        log.ShouldEndWith($"libbpf: failed to load object '{Progs.Path("rejected")}'\n");
        log.ShouldNotContain("libbpf: map '", customMessage: "debug-level map lines are never captured");
    }

    [Test]
    public void DisposeClosesEveryFd()
    {
        var before = LeakCheck.Snapshot();
        var obj = BpfObject.Open(Progs.Path("maps"));
        obj.Load();
        LeakCheck.FindLeaks(before).Leaks.Count.ShouldBeGreaterThan(5, "maps and the program are open while the object lives");
        obj.Dispose();
        LeakCheck.FindLeaks(before).Leaks.ShouldBeEmpty();
    }
}
