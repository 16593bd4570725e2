using BpfLoader.Diagnostics;
using BpfLoader.Kernel;

namespace BpfLoader.Programs;

/// <summary>
/// One BPF program of an object (an entry point, or a subprogram in .text), with the settings libbpf lets a
/// caller change before load (type, attach type, autoload, log level) and its kernel fd after load.
/// </summary>
public sealed partial class BpfProgram : IDisposable
{
    private bool _autoLoad;
    private FileDescriptor? _fd;
    private BpfProgType _type;

    internal BpfProgram(string name, string sectionName, int sectionIndex, int sectionInsnOffset, Instruction[] instructions,
        bool isSubprogram, bool autoLoad, SectionDefinition? definition)
    {
        Name = name;
        SectionName = sectionName;
        SectionIndex = sectionIndex;
        SectionInsnOffset = sectionInsnOffset;
        Instructions = instructions;
        IsSubprogram = isSubprogram;
        _autoLoad = autoLoad;
        Definition = definition;
        _type = definition?.ProgramType ?? BpfProgType.Unspec;
        ExpectedAttachType = definition?.ExpectedAttachType ?? 0;
        if (definition is not null)
        {
            if (definition.IsSleepable)
                Flags |= BpfFlags.Sleepable;
            if ((definition.Flags & SectionFlags.XdpFrags) != 0)
                Flags |= BpfFlags.XdpHasFrags;
            AttachTarget = definition.AttachTarget(sectionName);
        }
    }

    public string Name { get; }
    /// <summary>ELF section name without a leading '?'.</summary>
    public string SectionName { get; }
    public int SectionIndex { get; }
    /// <summary>First instruction of this program inside its section.</summary>
    public int SectionInsnOffset { get; }
    public bool IsSubprogram { get; }
    internal SectionDefinition? Definition { get; }

    /// <summary>Instructions as read from the ELF (relocations are applied to a copy at load).</summary>
    public Instruction[] Instructions { get; }

    /// <summary>Instructions as sent to the kernel at the last load attempt (main program followed by its subprograms).</summary>
    public Instruction[]? LoadedInstructions { get; internal set; }

    public BpfProgType Type
    {
        get => _type;
        set { RequireNotLoaded("set type"); _type = value; }
    }

    public BpfAttachType ExpectedAttachType { get; set; }
    public uint Flags { get; set; }

    /// <summary>What the section names as the attach point, e.g. <c>sys_enter</c> in <c>raw_tp/sys_enter</c>.</summary>
    public string? AttachTarget { get; set; }

    /// <summary>Kernel BTF id of the attach target (fentry/fexit/tp_btf/lsm/iter/struct_ops), resolved at load.</summary>
    public int AttachBtfId { get; internal set; }
    /// <summary>BTF object fd of a module that defines the attach target, or -1 for vmlinux.</summary>
    internal int AttachBtfObjFd { get; set; } = -1;
    /// <summary>Target program fd for freplace, -1 otherwise.</summary>
    public int AttachProgFd { get; set; } = -1;

    /// <summary>Verifier log level requested for the load (0: a log only after a failure).</summary>
    public uint LogLevel { get; set; }

    /// <summary>
    /// Size of the loader's own verifier log buffer on the first attempt with a log (libbpf's 16 MiB); it
    /// doubles on ENOSPC. Smaller only in tests, which need the growth path without a 16 MiB log.
    /// </summary>
    internal uint InitialLogSize { get; set; } = ProgramLoad.DefaultLogSize;

    /// <summary>The verifier log of the last load attempt, when one was requested or the load failed.</summary>
    public string? VerifierLog { get; internal set; }

    /// <summary>Set by the owning object once it is loaded: load settings may no longer change.</summary>
    internal bool ObjectLoaded { get; set; }

    public bool AutoLoad
    {
        get => _autoLoad;
        set { RequireNotLoaded("set autoload"); _autoLoad = value; }
    }

    /// <summary>Used by load-time rules (struct_ops autoload sync) that may change autoload after prepare.</summary>
    internal void SetAutoLoadInternal(bool value) => _autoLoad = value;

    public int Fd => _fd?.Value ?? -1;
    public bool IsLoaded => _fd is not null && !_fd.IsClosed;

    internal void SetFd(FileDescriptor fd) => _fd = fd;

    private void RequireNotLoaded(string what)
    {
        if (ObjectLoaded)
            throw new BpfException($"prog '{Name}': can't {what} after the object was loaded", Errno.EINVAL);
    }

    internal FileDescriptor RequireFd()
    {
        if (_fd is null || _fd.IsClosed)
            throw new BpfException($"prog '{Name}': not loaded", Errno.EBADF);
        return _fd;
    }

    public void Dispose()
    {
        _fd?.Dispose();
        _fd = null;
    }

    public override string ToString() => $"prog '{Name}' (SEC(\"{SectionName}\"), {Type})";
}
