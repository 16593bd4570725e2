using System.Buffers.Binary;
using BpfLoader.Objects;
using NUnit.Framework;
using Shouldly;

namespace BpfTests.Programs;

/// <summary>bpf-to-bpf calls: subprograms appended to each entry program, call offsets fixed, callbacks, .rodata constants.</summary>
public class CallsTests
{
    [TestCase(1u, 0u, 10u)]
    [TestCase(3u, 5u, 33u)]
    public void SubprogramChainUsesRodataConstantsSetBeforeLoad(uint multiplier, uint offset, uint expected)
    {
        using var obj = BpfObject.Open(Progs.Path("calls"));
        var rodata = obj.Map(".rodata").Data;
        BinaryPrimitives.WriteUInt32LittleEndian(rodata, multiplier);
        BinaryPrimitives.WriteUInt32LittleEndian(rodata[4..], offset);
        obj.Load();
        obj.Program("compute").TestRun(new byte[64]).ReturnValue.ShouldBe(expected);
        BinaryPrimitives.ReadUInt64LittleEndian(obj.Map(".bss").Data).ShouldBe(10ul, "bpf_loop callback ran for 0..4");
    }

    [Test]
    public void SubprogramsAreAppendedOncePerEntryProgram()
    {
        using var obj = BpfObject.Open(Progs.Path("calls"));
        obj.Load();
        var compute = obj.Program("compute");
        var second = obj.Program("second_entry");
        second.TestRun(new byte[64]).ReturnValue.ShouldBe(16u);
        compute.LoadedInstructions!.Length.ShouldBeGreaterThan(compute.Instructions.Length);
        second.LoadedInstructions!.Length.ShouldBeGreaterThan(second.Instructions.Length);
        // every pseudo call lands on an instruction inside the linked program
        foreach (var p in new[] { compute, second })
        {
            var insns = p.LoadedInstructions!;
            for (int i = 0; i < insns.Length; i++)
            {
                if (insns[i].IsSubprogramCall)
                    (i + insns[i].Imm + 1).ShouldBeInRange(0, insns.Length - 1, $"{p.Name} call at {i}");
            }
        }
    }
}
