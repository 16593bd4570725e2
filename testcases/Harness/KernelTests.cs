using BpfHarness;
using NUnit.Framework;
using Shouldly;

namespace BpfTests.Harness;

public class KernelTests
{
    [Test]
    public void Sync_rcu_succeeds_on_this_kernel() => Kernel.SyncRcu().ShouldBe(0);

    [TestCase("6.18.44-fc-v657", 6, 18, 44)]
    [TestCase("6.1.0-28-amd64", 6, 1, 0)]
    [TestCase("6.9", 6, 9, 0)]
    [TestCase("6.10.0-rc3+", 6, 10, 0)]
    [TestCase("5.15.167.4-microsoft-standard-WSL2", 5, 15, 167)]
    public void Kernel_release_parses(string release, int major, int minor, int patch) =>
        KernelVersion.Parse(release).ShouldBe(new KernelVersion(major, minor, patch));

    [TestCase("")]
    [TestCase("linux")]
    [TestCase("6")]
    public void Not_a_release_is_rejected(string release) => KernelVersion.TryParse(release, out _).ShouldBeFalse();

    [Test]
    public void Versions_order_numerically_not_textually()
    {
        (KernelVersion.Parse("6.10") > KernelVersion.Parse("6.9")).ShouldBeTrue();
        (KernelVersion.Parse("6.9.0") >= KernelVersion.Parse("6.9")).ShouldBeTrue();
        (KernelVersion.Parse("5.19.17") < KernelVersion.Parse("6.0")).ShouldBeTrue();
    }

    [Test]
    public void Running_version_comes_from_uname_release()
    {
        Kernel.Release.ShouldBe(File.ReadAllText("/proc/sys/kernel/osrelease").Trim());
        Kernel.Version.Major.ShouldBeGreaterThanOrEqualTo(4);
    }
}
