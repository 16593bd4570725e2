namespace BpfTests.Vmtest.Boot;

/// <summary>How one guest is booted.</summary>
public sealed record VmOptions
{
    public required string Kernel { get; init; }
    public required string Initrd { get; init; }
    /// <summary>Host directory shared read-write as tag "work", mounted at the same path in the guest.</summary>
    public required string WorkDir { get; init; }
    /// <summary>Host directory for sockets, logs and the console file (not visible to the guest).</summary>
    public required string RunDir { get; init; }
    public required TimeSpan Timeout { get; init; }
    public int Cpus { get; init; } = 2;
    public int MemoryMiB { get; init; } = 2048;
    /// <summary>Only after a probe boot proved KVM works (it hangs on this machine kind): TCG otherwise.</summary>
    public bool Kvm { get; init; }
    public string? Lpj { get; init; }
    public IReadOnlyList<string> ExtraKernelArgs { get; init; } = [];
    public string ConsoleLog => Path.Combine(RunDir, "console.log");
}
