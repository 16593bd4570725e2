using System.Buffers.Binary;
using System.Runtime.InteropServices;
using BpfLoader.Diagnostics;
using BpfLoader.Interop;
using BpfLoader.Maps;
using BpfLoader.Objects;
using NUnit.Framework;
using Shouldly;

namespace BpfTests.Buffers;

/// <summary>Ring buffer, perf buffer and user ring buffer readers/writers against real programs.</summary>
[NonParallelizable]
public partial class BufferTests
{


    private static BpfObject LoadBuffers()
    {
        var obj = BpfObject.Open(Progs.Path("buffers"));
        try
        {
            ObjectGlobals.Set(obj, "target_tid", Native.GetTid());
            obj.Load();
            return obj;
        }
        catch
        {
            obj.Dispose();
            throw;
        }
    }

    [Test]
    public void RingBufferDeliversCommittedSamplesInOrderAndSkipsDiscarded()
    {
        using var obj = LoadBuffers();
        var seen = new List<(uint Tid, ulong Seq)>();
        using var rb = new RingBuffer(obj.Map("rb"), sample =>
        {
            sample.Length.ShouldBe(16);
            seen.Add((BinaryPrimitives.ReadUInt32LittleEndian(sample), BinaryPrimitives.ReadUInt64LittleEndian(sample[8..])));
            return 0;
        });
        rb.Consume().ShouldBe(0, "nothing produced yet");
        using (obj.Program("emit").Attach())
        {
            for (int i = 0; i < 5; i++)
                Native.GetPgid(0);
        }
        rb.Poll(1000).ShouldBeGreaterThanOrEqualTo(5);
        rb.Consume().ShouldBe(0, "everything was consumed");
        seen.Count.ShouldBeGreaterThanOrEqualTo(5, "one committed sample per syscall; discarded ones are skipped");
        seen.ShouldAllBe(s => s.Tid == (uint)Native.GetTid());
        seen.Select(s => s.Seq).ShouldBe(Enumerable.Range(1, seen.Count).Select(i => (ulong)i), "in production order");
    }

    [Test]
    public void RingBufferHandlerErrorStopsConsumption()
    {
        using var obj = LoadBuffers();
        int calls = 0;
        using var rb = new RingBuffer(obj.Map("rb"), _ => ++calls == 2 ? -Errno.ECANCELED : 0);
        using (obj.Program("emit").Attach())
        {
            for (int i = 0; i < 4; i++)
                Native.GetPgid(0);
        }
        rb.Consume().ShouldBe(-Errno.ECANCELED);
        calls.ShouldBe(2);
        rb.Consume().ShouldBeGreaterThanOrEqualTo(2, "the remaining samples are still there");
    }

    [Test]
    public void PerfBufferDeliversSamplesFromEachCpu()
    {
        using var obj = LoadBuffers();
        var samples = new List<(int Cpu, uint EventCpu, ulong Seq)>();
        using var pb = new PerfBuffer(obj.Map("events"), 8, (cpu, data) =>
            samples.Add((cpu, BinaryPrimitives.ReadUInt32LittleEndian(data[4..]), BinaryPrimitives.ReadUInt64LittleEndian(data[8..]))));
        pb.Cpus.Count.ShouldBe(PerfBuffer.OnlineCpus().Count);
        using (obj.Program("emit").Attach())
        {
            for (int i = 0; i < 6; i++)
                Native.GetPgid(0);
        }
        pb.Poll(1000).ShouldBeGreaterThan(0);
        pb.Consume();
        samples.Count.ShouldBeGreaterThanOrEqualTo(6);
        samples.ShouldAllBe(s => (uint)s.Cpu == s.EventCpu, "BPF_F_CURRENT_CPU lands in the buffer of the CPU that emitted it");
        samples.Select(s => s.Seq).Order().ShouldBe(Enumerable.Range(1, samples.Count).Select(i => (ulong)i));
    }

    [Test]
    public void PerfBufferRejectsBadArguments()
    {
        using var obj = LoadBuffers();
        Should.Throw<BpfException>(() => new PerfBuffer(obj.Map("events"), 3, (_, _) => { })).Error.ShouldBe(-Errno.EINVAL);
        Should.Throw<BpfException>(() => new PerfBuffer(obj.Map("rb"), 8, (_, _) => { })).Error.ShouldBe(-Errno.EINVAL);
    }

    [Test]
    public void UserRingBufferSamplesAreDrainedByTheProgram()
    {
        using var obj = LoadBuffers();
        using var urb = new UserRingBuffer(obj.Map("urb"));
        for (ulong v = 1; v <= 10; v++)
            urb.Write(BitConverter.GetBytes(v));
        var discarded = urb.Reserve(8);
        BitConverter.TryWriteBytes(discarded.Data, 1000ul).ShouldBeTrue();
        discarded.Discard();

        obj.Program("drain").TestRun(context: new byte[8], repeat: 0, dataOutSize: 0);
        ObjectGlobals.Get<long>(obj, "drain_ret").ShouldBe(10, "bpf_user_ringbuf_drain returns the samples it handed over");
        ObjectGlobals.Get<ulong>(obj, "drained").ShouldBe(10ul);
        ObjectGlobals.Get<ulong>(obj, "drained_sum").ShouldBe(55ul, "the discarded sample is not delivered");
    }

    [Test]
    public void UserRingBufferReportsFullAndOversizedSamples()
    {
        using var obj = LoadBuffers();
        using var urb = new UserRingBuffer(obj.Map("urb"));
        Should.Throw<BpfException>(() => urb.Reserve(8192)).Error.ShouldBe(-Errno.E2BIG);
        int written = 0;
        var ex = Should.Throw<BpfException>(() =>
        {
            while (true)
            {
                urb.Write(new byte[100]);
                written++;
            }
        });
        ex.Error.ShouldBe(-Errno.ENOSPC);
        written.ShouldBe(4096 / 112, "each 100-byte sample takes 112 bytes with its header");
    }
}
