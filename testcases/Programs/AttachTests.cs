using System.Runtime.InteropServices;
using BpfHarness.Gates;
using BpfLoader.Interop;
using BpfLoader.Kernel;
using BpfLoader.Links;
using BpfLoader.Objects;
using NUnit.Framework;
using Shouldly;

namespace BpfTests.Programs;

/// <summary>Every attach mechanism of issue #2, each triggered by this process calling Native.GetPgid(0).</summary>
[NonParallelizable]
public partial class AttachTests
{

    private static BpfObject OpenAttachObject()
    {
        var obj = BpfObject.Open(Progs.Path("attach"));
        try
        {
            BitConverter.TryWriteBytes(obj.Map(".data").Data, Environment.ProcessId).ShouldBeTrue();
            return obj;
        }
        catch
        {
            obj.Dispose();
            throw;
        }
    }

    private static ulong Counter(BpfObject obj, string variable)
    {
        var btf = obj.Btf!;
        int datasec = btf.FindByName(".bss", BpfLoader.Btf.BtfKind.Datasec);
        foreach (var v in btf[datasec].DatasecVars)
        {
            if (btf[v.Type].Name == variable)
                return BitConverter.ToUInt64(obj.Map(".bss").Data[(int)v.Offset..]);
        }
        throw new InvalidOperationException($"no .bss variable {variable}");
    }

    private static void Trigger(int times)
    {
        for (int i = 0; i < times; i++)
            Native.GetPgid(0);
    }

    [TestCase("on_raw_tp", "raw_tp_hits")]
    [TestCase("on_tp_btf", "tp_btf_hits")]
    [TestCase("on_fentry", "fentry_hits")]
    [TestCase("on_fexit", "fexit_hits")]
    [TestCase("on_tracepoint", "tracepoint_hits")]
    public void AttachedProgramSeesGetpgid(string program, string counter)
    {
        if (program == "on_tracepoint")
            Gate.RequireFeature(TracingEnvironment.EnsureTracefs(), "tracefs", "tracepoint attach needs tracefs events");
        if (program is "on_fentry" or "on_fexit")
            RequireFentry();
        using var obj = OpenAttachObject();
        foreach (var p in obj.Programs)
            p.AutoLoad = p.Name == program;
        obj.Load();
        using (var link = obj.Program(program).Attach())
        {
            link.Fd.ShouldBeGreaterThan(0);
            Trigger(5);
            Counter(obj, counter).ShouldBe(5ul, $"{program} ran once per Native.GetPgid(0)");
        }
        Trigger(3);
        Counter(obj, counter).ShouldBe(5ul, "disposing the link detached the program");
    }

    [Test]
    public void FexitSeesTheReturnValue()
    {
        RequireFentry();
        using var obj = OpenAttachObject();
        obj.Load();
        using var link = obj.Program("on_fexit").Attach();
        long parent = Native.GetPgid(0); // the kernel function's return value
        long seen = BitConverter.ToInt64(obj.Map(".bss").Data[^8..]);
        seen.ShouldBe(parent);
    }

    [Test]
    public void KprobeAttachCountsCalls()
    {
        Gate.RequireFeature(KernelFeatures.KprobePmu, "kprobe PMU", "the kernel is built without CONFIG_KPROBES");
        using var obj = OpenAttachObject();
        obj.Program("on_kprobe").AutoLoad = true;
        obj.Load();
        using var link = obj.Program("on_kprobe").Attach();
        Trigger(4);
        Counter(obj, "kprobe_hits").ShouldBe(4ul);
    }

    [Test]
    public void AttachAllAttachesEveryLoadedProgram()
    {
        Gate.RequireFeature(TracingEnvironment.EnsureTracefs(), "tracefs", "tracepoint attach needs tracefs events");
        using var obj = OpenAttachObject();
        var counters = new List<string> { "raw_tp_hits", "tp_btf_hits", "tracepoint_hits" };
        if (KernelFeatures.FentryPrograms)
            counters.AddRange(["fentry_hits", "fexit_hits"]);
        else
            obj.Program("on_fentry").AutoLoad = obj.Program("on_fexit").AutoLoad = false;
        obj.Load();
        var links = obj.AttachAll();
        try
        {
            links.Count.ShouldBe(counters.Count, "every loaded program; the '?kprobe' one is not loaded");
            Trigger(2);
            foreach (var counter in counters)
                Counter(obj, counter).ShouldBe(2ul, counter);
        }
        finally
        {
            foreach (var l in links)
                l.Dispose();
        }
    }

    [Test]
    public void XdpLinkOnLoopbackSeesPacketsUntilDetached()
    {
        using var obj = BpfObject.Open(Progs.Path("maps"));
        obj.Load();
        var counters = obj.Map("counters");
        using BpfLink link = obj.Program("touch_maps").AttachLink(LoopbackIndex(), BpfAttachType.Xdp, "xdp on lo");
        SendUdpToLoopback();
        counters.TryLookup(7u, out ulong seen).ShouldBeTrue("the XDP program saw the packet on lo");
        seen.ShouldBeGreaterThanOrEqualTo(1ul);
        link.Detach();
        SendUdpToLoopback();
        counters.Lookup<uint, ulong>(7).ShouldBe(seen, "BPF_LINK_DETACH removed the program while the fd stays open");
        link.Fd.ShouldBeGreaterThan(0);
    }

    private static int LoopbackIndex() => int.Parse(File.ReadAllText("/sys/class/net/lo/ifindex").Trim(), System.Globalization.CultureInfo.InvariantCulture);

    private static void SendUdpToLoopback()
    {
        using var receiver = new System.Net.Sockets.UdpClient(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        using var sender = new System.Net.Sockets.UdpClient();
        sender.Send([1, 2, 3], 3, (System.Net.IPEndPoint)receiver.Client.LocalEndPoint!);
        var from = new System.Net.IPEndPoint(System.Net.IPAddress.Any, 0);
        receiver.Client.ReceiveTimeout = 2000;
        receiver.Receive(ref from).Length.ShouldBe(3);
    }

    private static void RequireFentry()
        => Gate.RequireFeature(KernelFeatures.FentryPrograms, "fentry programs", "the kernel refuses fentry/fexit programs (a probe load failed)");

    [Test]
    public void FentryOnUnknownFunctionFailsAtLoadWithLibbpfMessage()
    {
        using var obj = OpenAttachObject();
        var prog = obj.Program("on_fentry");
        prog.AttachTarget = "no_such_kernel_function_xyz";
        var ex = Should.Throw<BpfLoader.Diagnostics.BpfException>(() => obj.Load());
        ex.Message.ShouldBe("prog 'on_fentry': failed to find kernel BTF type ID of 'no_such_kernel_function_xyz': -ESRCH");
    }
}
