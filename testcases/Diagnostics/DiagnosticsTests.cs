using BpfLoader.Diagnostics;
using BpfLoader.Objects;
using BpfLoader.Programs;
using NUnit.Framework;
using Shouldly;

namespace BpfTests.Diagnostics;

/// <summary>libbpf's errno rendering and print-hook contract.</summary>
public class DiagnosticsTests
{
    [TestCase(22, "-EINVAL")]
    [TestCase(-22, "-EINVAL")]
    [TestCase(95, "-EOPNOTSUPP")]
    [TestCase(524, "-ENOTSUPP")]
    [TestCase(11, "-EAGAIN")]
    [TestCase(4001, "-4001")]
    public void ErrnoIsRenderedLikeLibbpf16(int err, string expected) => Errno.Str(err).ShouldBe(expected);

    [Test]
    public void HookGetsPrefixedNewlineTerminatedMessagesAndCanBeSwapped()
    {
        var seen = new List<(LogLevel, string)>();
        var previous = LibbpfLog.SetPrint((level, text) => seen.Add((level, text)));
        try
        {
            LibbpfLog.Warn("one");
            LibbpfLog.Info("two\n");
            LibbpfLog.Debug("three");
        }
        finally
        {
            LibbpfLog.SetPrint(previous).ShouldNotBeNull("SetPrint returns the hook it replaces");
        }
        seen.ShouldBe([(LogLevel.Warn, "libbpf: one\n"), (LogLevel.Info, "libbpf: two\n"), (LogLevel.Debug, "libbpf: three\n")]);
    }

    [Test]
    public void NullHookSilencesEverything()
    {
        var previous = LibbpfLog.SetPrint(null);
        try
        {
            Should.NotThrow(() => LibbpfLog.Warn("nobody hears this"));
        }
        finally
        {
            LibbpfLog.SetPrint(previous);
        }
    }

    [Test]
    public void DebugMessagesDescribeTheLoad()
    {
        var debug = new List<string>();
        var previous = LibbpfLog.SetPrint((level, text) =>
        {
            if (level == LogLevel.Debug)
                debug.Add(text);
        });
        try
        {
            using var obj = BpfObject.Open(Progs.Path("calls"));
            obj.Load();
        }
        finally
        {
            LibbpfLog.SetPrint(previous);
        }
        debug.ShouldContain(l => l.StartsWith("libbpf: map 'calls.rodata': created successfully, fd=", StringComparison.Ordinal));
        debug.ShouldContain("libbpf: prog 'second_entry': added 3 insns from sub-prog 'square'\n", customMessage: string.Join("", debug));
        debug.Count(l => l.Contains("prog 'compute': added") && l.Contains("'square'")).ShouldBe(1, "a subprogram reached twice is appended once");
    }

    [Test]
    public void SectionTableMatchesLibbpfRules()
    {
        SectionDefinitions.Find("raw_tp/sys_enter")!.ProgramType.ShouldBe(BpfLoader.Kernel.BpfProgType.RawTracepoint);
        SectionDefinitions.Find("raw_tp")!.Pattern.ShouldBe("raw_tp+");
        SectionDefinitions.Find("raw_tpx").ShouldBeNull("'type+' needs an exact match or a '/'");
        SectionDefinitions.Find("tc/ingress")!.ExpectedAttachType.ShouldBe(BpfLoader.Kernel.BpfAttachType.TcxIngress);
        SectionDefinitions.Find("tc")!.ExpectedAttachType.ShouldBe((BpfLoader.Kernel.BpfAttachType)0);
        SectionDefinitions.Find("fentry.s/do_unlinkat")!.IsSleepable.ShouldBeTrue();
        SectionDefinitions.Find("xdp.frags")!.Flags.ShouldBe(SectionFlags.XdpFrags);
        SectionDefinitions.Find("struct_ops/test_1")!.ProgramType.ShouldBe(BpfLoader.Kernel.BpfProgType.StructOps);
        SectionDefinitions.Find("kprobe/do_sys_open")!.AttachTarget("kprobe/do_sys_open").ShouldBe("do_sys_open");
        SectionDefinitions.Find("socket")!.AttachTarget("socket").ShouldBeNull();
    }
}
