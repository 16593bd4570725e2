using NUnit.Framework;
using NUnit.Framework.Interfaces;

namespace BpfHarness.Gates;

/// <summary>
/// <c>[RequiresKernel("6.9", "struct_ops in modules")]</c>: skip (or, under BPFTESTS_NO_SKIP=1, fail)
/// each test when the running kernel is older. Evaluated when the test starts, so the decision is the
/// one of the machine the test runs on.
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class, AllowMultiple = true)]
public sealed class RequiresKernelAttribute(string minimum, string reason) : Attribute, ITestAction
{
    // Parsed here so a malformed version string shows up at discovery, not only on old kernels.
    /// <summary>The lowest kernel version the test needs (<c>6.9</c>, <c>6.12.3</c>).</summary>
    public string Minimum { get; } = Validated(minimum);
    /// <summary>Why: shown in the skip reason.</summary>
    public string Reason { get; } = reason;
    /// <summary>Evaluated for each test.</summary>
    public ActionTargets Targets => ActionTargets.Test;
    /// <summary>Applies the gate when the test starts.</summary>
    public void BeforeTest(ITest test) => Gate.RequireKernel(Minimum, Reason, test.Name);
    /// <summary>Nothing to do after the test.</summary>
    public void AfterTest(ITest test) { }

    private static string Validated(string v)
    {
        KernelVersion.Parse(v);
        return v;
    }
}

/// <summary><c>[Requires(KernelFeature.VmlinuxBtf, "needs CO-RE")]</c>: as <see cref="RequiresKernelAttribute"/>, for a feature.</summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class, AllowMultiple = true)]
public sealed class RequiresAttribute(KernelFeature feature, string reason) : Attribute, ITestAction
{
    /// <summary>The feature the test needs.</summary>
    public KernelFeature Feature { get; } = feature;
    /// <summary>Why: shown in the skip reason.</summary>
    public string Reason { get; } = reason;
    /// <summary>Evaluated for each test.</summary>
    public ActionTargets Targets => ActionTargets.Test;
    /// <summary>Applies the gate when the test starts.</summary>
    public void BeforeTest(ITest test) => Gate.Require(Feature, Reason, test.Name);
    /// <summary>Nothing to do after the test.</summary>
    public void AfterTest(ITest test) { }
}
