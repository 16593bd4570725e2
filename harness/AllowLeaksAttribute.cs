using NUnit.Framework;

namespace BpfHarness;

/// <summary>
/// Opts a test (or every test of a fixture) out of the fd leak check. The check still runs and prints
/// what it found, with the reason, but does not fail the test. A reason is mandatory: a leak is a bug
/// somewhere, and the next reader should learn where.
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class, AllowMultiple = false, Inherited = true)]
public sealed class AllowLeaksAttribute(string reason) : PropertyAttribute(PropertyName, reason)
{
    /// <summary>The NUnit property under which the attribute records its reason.</summary>
    public const string PropertyName = "BpfAllowLeaks";
    /// <summary>Why the test may leave descriptors open.</summary>
    public string Reason { get; } = reason;
}
