using System.Buffers.Binary;
using System.Text;
using BpfLoader.Diagnostics;
using BpfLoader.Objects;
using NUnit.Framework;
using Shouldly;

namespace BpfTests.Maps;

/// <summary>Global variables in .data, .rodata, .bss and custom data sections: initial values, edits before load, mmap after.</summary>
public class GlobalDataTests
{
    [Test]
    public void RawTracepointCountsSyscallsIntoMmappedBss()
    {
        using var obj = BpfObject.Open(Progs.Path("minimal"));
        BinaryPrimitives.WriteInt32LittleEndian(obj.Map(".rodata").Data, Environment.ProcessId);
        obj.Load();
        using var link = obj.Program("count_syscalls").Attach();
        var bss = obj.Map(".bss");
        ulong before = BinaryPrimitives.ReadUInt64LittleEndian(bss.Data);
        for (int i = 0; i < 10; i++)
            _ = File.Exists("/nonexistent");
        ulong after = BinaryPrimitives.ReadUInt64LittleEndian(bss.Data);
        (after - before).ShouldBeGreaterThanOrEqualTo(10ul, "each File.Exists is at least one syscall of this process");
    }

    [Test]
    public void InternalMapsAreNamedLikeLibbpf()
    {
        using var obj = BpfObject.Open(Progs.Path("global_data"));
        obj.Maps.Where(m => m.IsInternal).Select(m => m.Name).Order(StringComparer.Ordinal)
            .ShouldBe([".data.custom", ".rodata.custom", "global_d.bss", "global_d.data", "global_d.rodata"]);
        obj.Map(".rodata").IsReadOnlyData.ShouldBeTrue();
        obj.Map(".bss").IsReadOnlyData.ShouldBeFalse();
    }

    [Test]
    public void InitialValuesEditsBeforeLoadAndResultsAfterRun()
    {
        using var obj = BpfObject.Open(Progs.Path("global_data"));
        var data = obj.Map(".data");
        BinaryPrimitives.ReadInt32LittleEndian(data.Data).ShouldBe(42, "data_int's initial value from the ELF");
        var rodata = obj.Map(".rodata");
        BinaryPrimitives.ReadUInt64LittleEndian(rodata.Data).ShouldBe(0x1122334455667788ul);
        BinaryPrimitives.WriteUInt64LittleEndian(rodata.Data, 1000);   // rodata_u64 = 1000 before load
        Encoding.ASCII.GetBytes("Zed").CopyTo(rodata.Data[8..]);        // rodata_name[0] = 'Z'

        obj.Load();
        obj.Program("read_globals").TestRun(new byte[64]);

        var bss = obj.Map(".bss").Data;
        // data_int 42 + pair.a 1 + pair.b 2 + rodata_u64 1000 + custom_const 7 + static_var 5
        BinaryPrimitives.ReadUInt64LittleEndian(bss).ShouldBe(1057ul);
        BinaryPrimitives.ReadUInt32LittleEndian(bss[8..]).ShouldBe((uint)'Z');
        BinaryPrimitives.ReadUInt32LittleEndian(bss[20..]).ShouldBe(0xabcdu);
        BinaryPrimitives.ReadInt32LittleEndian(obj.Map(".data").Data).ShouldBe(-1, "the program's write is visible through the mapping");
        BinaryPrimitives.ReadInt32LittleEndian(obj.Map(".data.custom").Data).ShouldBe(101);
    }

    [Test]
    public void UserSpaceWritesAfterLoadReachTheProgram()
    {
        using var obj = BpfObject.Open(Progs.Path("global_data"));
        obj.Load();
        BinaryPrimitives.WriteInt32LittleEndian(obj.Map(".data").Data, 1_000_000);
        obj.Program("read_globals").TestRun(new byte[64]);
        BinaryPrimitives.ReadUInt64LittleEndian(obj.Map(".bss").Data).ShouldBe(1_000_000ul + 1 + 2 + 0x1122334455667788ul + 7 + 5);
    }

    [Test]
    public void RodataIsFrozenAfterLoad()
    {
        using var obj = BpfObject.Open(Progs.Path("global_data"));
        obj.Load();
        var rodata = obj.Map(".rodata");
        var ex = Should.Throw<BpfSyscallException>(() => rodata.Update(new byte[4], new byte[rodata.ValueSize]));
        ex.Error.ShouldBe(-Errno.EPERM, "a frozen map refuses writes from user space");
        BinaryPrimitives.ReadUInt64LittleEndian(rodata.Data).ShouldBe(0x1122334455667788ul, "still readable through the read-only mapping");
    }
}
