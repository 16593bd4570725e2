using BpfLoader.Diagnostics;
using BpfLoader.Maps;
using BpfLoader.Objects;
using NUnit.Framework;
using Shouldly;

namespace BpfTests.Reliability;

/// <summary>
/// Ring-buffer consumption details the suite could not see (issue 17's mutation pass): lengths that are not a
/// multiple of 8, the consumer position after a handler error, and libbpf's return-value rule.
/// </summary>
public class RingBufferConsumerTests
{
    private static readonly uint[] Lengths = [1, 7, 8, 9, 13, 16, 33, 63];

    /// <summary>Loads ringbuf_lengths and runs it once: sample i has Lengths[i] bytes, all equal to i + 1.</summary>
    private static BpfObject Produce()
    {
        var obj = BpfObject.Open(Progs.Path("ringbuf_lengths"));
        try
        {
            obj.Load();
            Lengths.CopyTo(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, uint>(ObjectGlobals.Bytes(obj, "lens")));
            obj.Program("emit_lengths").TestRun(context: new byte[8], repeat: 0, dataOutSize: 0);
            ObjectGlobals.Get<uint>(obj, "emitted").ShouldBe((uint)Lengths.Length);
            return obj;
        }
        catch
        {
            obj.Dispose();
            throw;
        }
    }

    [Test]
    public void SamplesOfAnyLengthArriveWhole()
    {
        using var obj = Produce();
        var seen = new List<byte[]>();
        using var rb = new RingBuffer(obj.Map("lengths_rb"), sample =>
        {
            seen.Add(sample.ToArray());
            return 0;
        });
        rb.Consume().ShouldBe(Lengths.Length);
        seen.Select(s => (uint)s.Length).ShouldBe(Lengths);
        for (int i = 0; i < seen.Count; i++)
            seen[i].ShouldAllBe(b => b == i + 1, $"sample {i} holds only its own bytes");
    }

    [Test]
    public void HandlerErrorLeavesTheConsumerPastTheFailingSample()
    {
        using var obj = Produce();
        var seen = new List<int>();
        using var rb = new RingBuffer(obj.Map("lengths_rb"), sample =>
        {
            seen.Add(sample[0]);
            return sample[0] == 3 ? -Errno.ECANCELED : 0;
        });
        rb.Consume().ShouldBe(-Errno.ECANCELED);
        seen.ShouldBe([1, 2, 3]);
        // libbpf stores the consumer position past the sample whose handler failed: it is not delivered again.
        rb.Consume().ShouldBe(Lengths.Length - 3);
        seen.ShouldBe(Enumerable.Range(1, Lengths.Length));
    }

    [Test]
    public void PositiveHandlerReturnCountsTheSampleAndGoesOn()
    {
        using var obj = Produce();
        int calls = 0;
        using var rb = new RingBuffer(obj.Map("lengths_rb"), _ => ++calls);
        rb.Consume().ShouldBe(Lengths.Length);
        calls.ShouldBe(Lengths.Length);
    }
}
