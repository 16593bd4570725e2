namespace BpfLoader.Objects;

internal enum RelocationKind
{
    /// <summary>bpf-to-bpf call: <c>call pc+imm</c> to a subprogram.</summary>
    Call,
    /// <summary><c>ld_imm64 rX, subprog</c> (callback address, BPF_PSEUDO_FUNC).</summary>
    SubprogramAddress,
    /// <summary><c>ld_imm64 rX, map</c>: the map's fd (BPF_PSEUDO_MAP_FD).</summary>
    MapFd,
    /// <summary><c>ld_imm64 rX, &amp;global_var</c>: address inside a global-data map (BPF_PSEUDO_MAP_VALUE).</summary>
    MapValue,
    /// <summary>A ksym load or kfunc call; <see cref="Relocation.SymbolValue"/> is the extern's index (Externs/).</summary>
    Extern,
}

/// <summary>
/// One ELF relocation against a program, recorded at open time and applied to each copy of the program at
/// load. <see cref="InsnIndex"/> is relative to the program's first instruction.
/// </summary>
internal readonly record struct Relocation(
    int InsnIndex,
    RelocationKind Kind,
    string SymbolName,
    long SymbolValue,
    int TargetSection = -1,
    Maps.BpfMap? Map = null);
