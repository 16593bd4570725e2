namespace BpfLoader.Interop;

/// <summary>
/// The fault-injection seam of the bpf(2) layer, for tests (internal: the tests see it through
/// InternalsVisibleTo). A <see cref="BpfFaultPlan"/> installed with <see cref="Install"/> sees every bpf(2)
/// command the current async flow issues (the plan lives in an <see cref="AsyncLocal{T}"/>, so tests running
/// in parallel are not affected): it counts them, can make the N-th fail with a chosen errno instead of
/// entering the kernel, and records the id of every kernel object a command created, so a test can ask the
/// kernel afterwards whether any of them is still alive.
/// <para>Cost when off: the syscall path reads <see cref="Armed"/>, a static bool that stays false until the
/// first plan of the process is installed.</para>
/// </summary>
internal static class BpfFaultInjection
{
    private static readonly AsyncLocal<BpfFaultPlan?> _current = new();

    /// <summary>True once any plan was installed in this process; only then is the async-local plan looked up.</summary>
    internal static bool Armed { get; private set; }

    /// <summary>The plan of the current async flow, if any.</summary>
    public static BpfFaultPlan? Current => Armed ? _current.Value : null;

    /// <summary>Installs <paramref name="plan"/> for the current async flow until the returned scope is disposed.</summary>
    public static IDisposable Install(BpfFaultPlan plan)
    {
        Armed = true;
        var previous = _current.Value;
        _current.Value = plan;
        return new Scope(previous);
    }

    private sealed class Scope(BpfFaultPlan? previous) : IDisposable
    {
        public void Dispose() => _current.Value = previous;
    }

    /// <summary>Called before bpf(2) command <paramref name="command"/>: the -errno to return instead of calling the kernel, or null.</summary>
    internal static long? BeforeCall(int command) => _current.Value?.Before(command);

    /// <summary>Called after the kernel answered <paramref name="command"/> with <paramref name="result"/>.</summary>
    internal static void AfterCall(int command, long result) => _current.Value?.After(command, result);
}
