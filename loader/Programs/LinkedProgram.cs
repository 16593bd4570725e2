using BpfLoader.Kernel;

namespace BpfLoader.Programs;

/// <summary>A main program with its subprograms appended and every relocation applied: what BPF_PROG_LOAD gets.</summary>
internal sealed record LinkedProgram(
    Instruction[] Instructions,
    byte[]? FuncInfo,
    int FuncInfoCount,
    uint FuncInfoRecordSize,
    byte[]? LineInfo,
    int LineInfoCount,
    uint LineInfoRecordSize)
{
    /// <summary>Each (sub)program placed in <see cref="Instructions"/> and its first index there.</summary>
    public IReadOnlyList<(BpfProgram Program, int Start)> Placement { get; init; } = [];
}
