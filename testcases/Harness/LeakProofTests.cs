using BpfLoader.Kernel;
using BpfTests.Pinning;
using NUnit.Framework;
using NUnit.Framework.Interfaces;
using Shouldly;

namespace BpfTests.Harness;

/// <summary>
/// Issue 17, leak checks proven: <see cref="LeakSandbox{T}"/> runs detached (a nested NUnit run under the real
/// [assembly: BpfTestHarness] action) and each deliberate leak must turn its test red with the leaked object,
/// its kind and its fd — or, for an object kept alive without an fd, what keeps it.
/// </summary>
[NonParallelizable]
public class LeakProofTests
{
    private ITestResult _all = null!;

    [OneTimeSetUp]
    public void RunSandbox()
    {
        try
        {
            _all = NestedRun.Run(typeof(LeakSandbox<SandboxOn>));
        }
        finally
        {
            lock (LeakSandboxState.LeakedFds)
            {
                foreach (int fd in LeakSandboxState.LeakedFds)
                    RawSys.Close(fd);
                LeakSandboxState.LeakedFds.Clear();
            }
            if (Directory.Exists(LeakSandboxState.PinRoot))
                Directory.Delete(LeakSandboxState.PinRoot, recursive: true);
            if (LeakSandboxState.RegisteredStructOpsMapId is { } id)
                Unregister(id);
        }
    }

    // Deleting element 0 of a plain struct_ops map unregisters it; the map then goes away with our fd.
    private static void Unregister(uint mapId)
    {
        int fd = BpfSyscall.TryGetFdById(BpfCommand.MapGetFdById, mapId);
        if (fd < 0)
            return;
        BpfSyscall.TryMapDelete(fd, stackalloc byte[4]);
        RawSys.Close(fd);
    }

    [Test]
    public void A_leaked_program_fd_is_reported_with_its_kind_name_id_and_fd()
    {
        var r = NestedRun.Find(_all, "leaks_a_program_fd");
        r.ResultState.Status.ShouldBe(TestStatus.Failed);
        r.Message.ShouldMatch(@"leak_check:FAIL: leaked BPF objects: prog 'count_syscalls' \(id \d+, fd \d+\)");
    }

    [Test]
    public void A_map_kept_alive_by_its_pin_is_reported_with_the_pin_path()
    {
        Assume.That(PinningTests.BpffsMounted(), "bpffs");
        var r = NestedRun.Find(_all, "leaks_a_pinned_map");
        r.ResultState.Status.ShouldBe(TestStatus.Failed);
        r.Message.ShouldMatch(@"leak_check:FAIL: leaked kernel objects without an fd: map 'pinned_counts' \(id \d+\) pinned at "
            + System.Text.RegularExpressions.Regex.Escape(LeakSandboxState.PinRoot + "/pinned_counts"));
    }

    [Test]
    public void A_struct_ops_map_kept_by_its_registration_is_reported()
    {
        var r = NestedRun.Find(_all, "leaks_a_struct_ops_registration");
        if (!LeakSandboxState.InVmtest)
        {
            r.ResultState.Status.ShouldBe(TestStatus.Skipped);
            Assert.Ignore("struct_ops registration leaks are proven in vmtest (a system-wide TCP congestion control)");
        }
        r.ResultState.Status.ShouldBe(TestStatus.Failed);
        r.Message.ShouldMatch(@"leak_check:FAIL: leaked kernel objects without an fd: map 'ca_plain' \(id \d+\) registered as struct_ops");
    }

    [Test]
    public void A_pin_removed_by_the_test_is_not_a_leak()
    {
        var r = NestedRun.Find(_all, "pins_and_unpins");
        r.ResultState.ShouldBe(ResultState.Success, r.Message);
    }
}
