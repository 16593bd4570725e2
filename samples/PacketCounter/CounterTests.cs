using BpfHarness;
using BpfLoader.Kernel;
using NUnit.Framework;
using PacketCounter.Skeletons;
using static BpfHarness.TP;

// Once per test assembly: test_progs' per-test environment (ASSERT output, libbpf log capture, leak checks).
[assembly: BpfTestHarness]

namespace PacketCounter;

/// <summary>The sample's tests of its XDP program (bpf/counter.bpf.c), through the generated <see cref="Counter"/> skeleton.</summary>
public class CounterTests
{
    private const ulong XdpDrop = 1, XdpPass = 2;

    /// <summary>Loads the program into the running kernel and runs it on test packets (BPF_PROG_TEST_RUN).</summary>
    [Test]
    public void filter_drops_long_packets_and_counts()
    {
        using var skel = Counter.Open();
        skel.Rodata.MaxLen = 100;                          // .rodata: set before load, frozen by it
        skel.Load();

        var small = skel.Progs.Filter.TestRun(new byte[64]);
        var large = skel.Progs.Filter.TestRun(new byte[200], repeat: 3);

        ASSERT_EQ(small.ReturnValue, XdpPass, "small packet verdict");
        ASSERT_EQ(large.ReturnValue, XdpDrop, "large packet verdict");
        ASSERT_EQ(skel.Bss.Packets, 4ul, "packets");          // .bss: the live mmap'ed map after load
        ASSERT_EQ(skel.Bss.DroppedBytes, 600ul, "dropped_bytes");
        ASSERT_EQ(skel.Maps.Verdicts.Lookup<uint, ulong>((uint)XdpPass), 1ul, "verdicts[XDP_PASS]");
        ASSERT_EQ(skel.Maps.Verdicts.Lookup<uint, ulong>((uint)XdpDrop), 3ul, "verdicts[XDP_DROP]");
    }

    /// <summary>What the skeleton knows before anything reaches the kernel: the object's programs, maps and variables.</summary>
    [Test]
    public void skeleton_describes_the_object()
    {
        using var skel = Counter.Open();
        Subtest("programs", () =>
        {
            ASSERT_STREQ(skel.Progs.Filter.SectionName, "xdp", "filter section");
            ASSERT_EQ((ulong)skel.Progs.Filter.Type, (ulong)BpfProgType.Xdp, "filter type");
        });
        Subtest("maps", () =>
        {
            ASSERT_EQ((ulong)skel.Maps.Verdicts.Type, (ulong)BpfMapType.Hash, "verdicts type");
            ASSERT_EQ(skel.Maps.Verdicts.KeySize, 4ul, "verdicts key_size");
            ASSERT_EQ(skel.Maps.Verdicts.ValueSize, 8ul, "verdicts value_size");
            ASSERT_EQ(skel.Maps.Verdicts.MaxEntries, 4ul, "verdicts max_entries");
        });
        Subtest("variables", () =>
        {
            ASSERT_EQ(skel.Rodata.MaxLen, 1500ul, "max_len initial value");
            ASSERT_EQ(skel.Bss.Packets, 0ul, "packets before load");
        });
    }
}
