using BpfLoader.Objects;
using NUnit.Framework;
using Shouldly;

namespace BpfTests.Loader;

public class MinimalTests
{
    [Test]
    public void RawTracepointCountsSyscallsIntoBss()
    {
        using var obj = BpfObject.Open(Progs.Path("minimal"));
        var rodata = obj.Map(".rodata");
        BitConverter.TryWriteBytes(rodata.Data, Environment.ProcessId).ShouldBeTrue();
        obj.Load();
        using var link = obj.Program("count_syscalls").Attach();
        for (int i = 0; i < 10; i++)
            _ = File.Exists("/nonexistent");
        ulong count = BitConverter.ToUInt64(obj.Map(".bss").Data);
        count.ShouldBeGreaterThanOrEqualTo(10ul);
    }
}
