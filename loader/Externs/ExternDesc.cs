namespace BpfLoader.Externs;

/// <summary>Where an extern lives: <c>.kconfig</c> (Kconfig or libbpf virtual values) or <c>.ksyms</c> (kernel symbols).</summary>
internal enum ExternKind
{
    Unknown = 0,
    Kconfig = 1,
    Ksym = 2,
}

/// <summary>libbpf's <c>enum kcfg_type</c>: how a Kconfig value is stored.</summary>
internal enum KconfigType
{
    Unknown,
    Char,
    Bool,
    Int,
    Tristate,
    CharArray,
}

/// <summary>
/// libbpf's <c>struct extern_desc</c>: one <c>extern</c> of the object (an undefined ELF symbol with BTF), its
/// layout in the <c>.kconfig</c> map or its kernel resolution (BTF id, module BTF fd, kallsyms address).
/// </summary>
internal sealed class ExternDesc
{
    public required string Name { get; init; }
    /// <summary>The name without a ___flavor suffix (kfuncs and ksyms are looked up by it).</summary>
    public required string EssentialName { get; init; }
    public required int BtfId { get; init; }
    public required int SymbolIndex { get; init; }
    public required bool IsWeak { get; init; }
    public ExternKind Kind { get; set; }
    public bool IsSet { get; set; }

    // .kconfig
    public int KconfigSize { get; set; }
    public int KconfigAlign { get; set; }
    public KconfigType KconfigType { get; set; }
    public bool KconfigSigned { get; set; }
    public int KconfigOffset { get; set; }

    // .ksyms
    /// <summary>Local BTF type of the extern (FUNC_PROTO for kfuncs, 0 for an untyped <c>const void</c> ksym).</summary>
    public int KsymTypeId { get; set; }
    public bool IsFunction { get; set; }
    public int KernelBtfId { get; set; }
    /// <summary>Module BTF fd for typed ksyms in modules (0 = vmlinux), placed in ld_imm64's second half.</summary>
    public int KernelBtfObjFd { get; set; }
    /// <summary>Index of the module BTF fd in the program's fd_array for kfunc calls (0 = vmlinux).</summary>
    public int BtfFdIndex { get; set; }
    public ulong Address { get; set; }

    public override string ToString() => $"extern '{Name}' ({Kind}{(IsWeak ? ", weak" : "")}{(IsSet ? ", set" : "")})";
}
