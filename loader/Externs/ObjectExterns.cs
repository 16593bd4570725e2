using BpfLoader.Maps;

namespace BpfLoader.Externs;

/// <summary>
/// The externs of one object, sorted as libbpf sorts them (kconfig first by alignment and size, then ksyms,
/// ties by name): an extern's index is what poisoned kfunc calls and relocations refer to. Collected at open,
/// owned by the object, filled by resolution in the prepare phase.
/// </summary>
internal sealed class ObjectExterns
{
    public ObjectExterns(List<ExternDesc> externs) => Externs = externs;

    public List<ExternDesc> Externs { get; }

    /// <summary>The internal <c>.kconfig</c> map, when the object has Kconfig externs.</summary>
    public BpfMap? KconfigMap { get; set; }

    /// <summary>Module BTF fds for kfunc calls; index 0 is unused (insn.off 0 means vmlinux).</summary>
    public List<int> FdArray { get; } = [];

    public ExternDesc? BySymbol(int symbolIndex) => Externs.FirstOrDefault(e => e.SymbolIndex == symbolIndex);

    public ExternDesc? ByName(string name) => Externs.FirstOrDefault(e => e.Name == name);

    /// <summary>The fd_array for BPF_PROG_LOAD (null when no kfunc lives in a module).</summary>
    public int[]? FdArrayForLoad() => FdArray.Count > 1 ? FdArray.ToArray() : null;

    /// <summary>Name of extern #<paramref name="index"/> (for the verifier-log fix-up of poisoned kfunc calls).</summary>
    public string? NameAt(int index) => (uint)index < (uint)Externs.Count ? Externs[index].Name : null;
}
