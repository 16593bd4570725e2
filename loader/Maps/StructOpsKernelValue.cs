using BpfLoader.Kernel;
using BpfLoader.Programs;

namespace BpfLoader.Maps;

/// <summary>
/// What load time resolved for one struct_ops map: the kernel types, the value buffer sent on attach, and
/// where each program's fd goes inside it.
/// </summary>
internal sealed class StructOpsKernelValue
{
    public required int KernelTypeId { get; init; }
    public required int KernelValueTypeId { get; init; }
    /// <summary>The module defining the type, or null for vmlinux.</summary>
    public required ModuleBtf? Module { get; init; }
    /// <summary>Byte offset of the <c>data</c> member (the ops struct) inside the kernel value type.</summary>
    public required int DataOffset { get; init; }
    public required byte[] Value { get; init; }
    /// <summary>Program slots: offset of the function pointer inside <see cref="Value"/> and the program.</summary>
    public List<(int Offset, BpfProgram Program)> ProgramSlots { get; } = [];

    /// <summary>Writes each loaded program's fd into its slot (libbpf stores fds where the kernel expects pointers).</summary>
    public void WriteProgramFds()
    {
        foreach (var (offset, program) in ProgramSlots)
            BitConverter.TryWriteBytes(Value.AsSpan(offset, 8), (ulong)(uint)program.Fd);
    }
}
