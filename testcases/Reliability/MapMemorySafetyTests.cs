using BpfLoader.Diagnostics;
using BpfLoader.Kernel;
using BpfLoader.Maps;
using BpfLoader.Objects;
using NUnit.Framework;
using Shouldly;

namespace BpfTests.Reliability;

/// <summary>
/// Issue 17's memory-safety defects in the map API: the kernel must never write past a caller's span, and
/// spans over global data must stay harmless after the object is gone.
/// </summary>
public class MapMemorySafetyTests
{
    [Test]
    public void GetNextKeyRefusesAShortNextKeyBuffer()
    {
        using var map = new BpfMap("nextkey_len", BpfMapType.Hash, 8, 4, 4);
        map.Create();
        map.Update(1ul, 1u);
        // The kernel writes key_size (8) bytes: a 4-byte span followed by guard bytes must be refused untouched.
        Span<byte> buffer = stackalloc byte[12];
        buffer.Fill(0xAA);
        var ex = Should.Throw<BpfException>(() =>
        {
            Span<byte> inner = stackalloc byte[12];
            inner.Fill(0xAA);
            map.TryGetNextKey([], inner[..4]);
        });
        ex.Error.ShouldBe(-Errno.EINVAL);
        ex.Message.ShouldContain("next-key buffer has 4 bytes, the map's keys have 8");
        Span<byte> exact = stackalloc byte[8];
        map.TryGetNextKey([], exact).ShouldBeTrue();
        BitConverter.ToUInt64(exact).ShouldBe(1ul);
    }

    [Test]
    public void DefinitionSettersAreRefusedOnceTheMapExists()
    {
        using var map = new BpfMap("frozen_def", BpfMapType.Array, 4, 4, 2);
        map.KeySize = 4; // still editable before creation
        map.Create();
        Should.Throw<BpfException>(() => map.ValueSize = 64).Error.ShouldBe(-Errno.EBUSY);
        Should.Throw<BpfException>(() => map.KeySize = 8).Error.ShouldBe(-Errno.EBUSY);
        Should.Throw<BpfException>(() => map.MaxEntries = 100).Error.ShouldBe(-Errno.EBUSY);
        Should.Throw<BpfException>(() => map.Flags = BpfFlags.NoPrealloc).Error.ShouldBe(-Errno.EBUSY);
        Should.Throw<BpfException>(() => map.Type = BpfMapType.Hash).Error.ShouldBe(-Errno.EBUSY);
        Should.Throw<BpfException>(() => map.NumaNode = 1).Error.ShouldBe(-Errno.EBUSY);
        Should.Throw<BpfException>(() => map.MapExtra = 1).Error.ShouldBe(-Errno.EBUSY);
        map.ValueSize.ShouldBe(4u);
        // The element API keeps sizing buffers from the kernel's definition.
        Should.Throw<BpfException>(() => map.TryLookup(BitConverter.GetBytes(0u), new byte[64])).Error.ShouldBe(-Errno.EINVAL);
    }

    [Test]
    public void ObjectMapDefinitionIsFrozenAfterLoad()
    {
        using var obj = BpfObject.Open(Progs.Path("global_data"));
        var data = obj.Maps.First(m => m.SectionName == ".data");
        obj.Load();
        var ex = Should.Throw<BpfException>(() => data.ValueSize = data.ValueSize * 2);
        ex.Error.ShouldBe(-Errno.EBUSY);
        ex.Message.ShouldContain("value_size can't be changed");
    }

    [Test]
    public void SpanOverGlobalDataSurvivesDisposeOfTheObject()
    {
        var obj = BpfObject.Open(Progs.Path("global_data"));
        obj.Load();
        var map = obj.Maps.First(m => m.SectionName == ".data");
        var span = map.Data;
        span[0].ShouldBe((byte)42); // data_int = 42 is the first variable
        obj.Dispose();

        // Before the fix the pages were unmapped: this write killed the process with SIGSEGV.
        span[0] = 7;
        span[0].ShouldBe((byte)7);
        span[1..].ToArray().ShouldAllBe(b => b == 0); // private zero pages, no longer the map
        var ex = Should.Throw<BpfException>(() => map.Data.Length);
        ex.Error.ShouldBe(-Errno.EBADF);
        ex.Message.ShouldContain("after the map was disposed");
    }

    [Test]
    public void DataOfADisposedUnloadedObjectIsNotTheStaleImage()
    {
        var obj = BpfObject.Open(Progs.Path("global_data"));
        var map = obj.Maps.First(m => m.SectionName == ".data");
        map.Data[0].ShouldBe((byte)42);
        obj.Dispose();
        Should.Throw<BpfException>(() => map.Data.Length).Error.ShouldBe(-Errno.EBADF);
    }
}
