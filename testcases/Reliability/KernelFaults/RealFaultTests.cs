using System.Diagnostics;
using BpfHarness.Gates;
using BpfLoader.Diagnostics;
using BpfLoader.Interop;
using BpfLoader.Kernel;
using BpfLoader.Objects;
using BpfTests.Pinning;
using NUnit.Framework;
using Shouldly;

namespace BpfTests.Reliability.KernelFaults;

/// <summary>
/// Faults the kernel produces itself (issue 17): a process without CAP_BPF, a pin path outside any bpf file
/// system, a pin folder that does not exist yet. (A pin path holding a different map:
/// <c>PinningTests.IncompatiblePinnedMapIsRefused</c>; a verifier log larger than its buffer:
/// <c>LoadDetailsTests.VerifierLogGrowsOnEnospcUntilItFits</c>.)
/// </summary>
[NonParallelizable]
public class RealFaultTests
{
    [Test]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public void Unprivileged_load_names_the_missing_capability()
    {
        Gate.RequireFeature(File.Exists("/usr/bin/setpriv"), "setpriv (util-linux)", "runs the CLI as an unprivileged user");
        Gate.RequireFeature(Environment.UserName == "root", "root", "only root can drop to another user");
        // nobody may not traverse the checkout (a clone under a 0700 mktemp directory): the CLI and the object are
        // copied into a world-readable directory first.
        var dir = Directory.CreateTempSubdirectory("bpftests-unpriv-");
        string output;
        try
        {
            File.SetUnixFileMode(dir.FullName, (UnixFileMode)0x1ED /* 0755 */);
            foreach (string file in Directory.EnumerateFiles(AppContext.BaseDirectory, "BpfLoader*"))
                File.Copy(file, Path.Combine(dir.FullName, Path.GetFileName(file)));
            string obj = Path.Combine(dir.FullName, "minimal.bpf.o");
            File.Copy(Progs.Path("minimal"), obj);
            // nobody, no groups, no capabilities in any set: what an ordinary user's shell has.
            var psi = new ProcessStartInfo("/usr/bin/setpriv",
                ["--reuid=65534", "--regid=65534", "--clear-groups", "--inh-caps=-all", "--bounding-set=-all",
                 "env", "HOME=/tmp", "DOTNET_CLI_TELEMETRY_OPTOUT=1", Path.Combine(dir.FullName, "BpfLoader.Cli"), "prog", "loadall", obj])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = dir.FullName,
            };
            using var child = Process.Start(psi)!;
            var stdout = child.StandardOutput.ReadToEndAsync();
            var stderr = child.StandardError.ReadToEndAsync();
            child.WaitForExit(120_000).ShouldBeTrue("the unprivileged CLI finished");
            output = stdout.Result + stderr.Result;
            child.ExitCode.ShouldBe(1, output);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
        TestContext.Out.WriteLine(output);
        output.ShouldContain("count_syscalls: failed -EPERM: ");
        output.ShouldContain("the process lacks CAP_BPF (or CAP_SYS_ADMIN)");
    }

    [Test]
    public void Missing_capability_is_decided_from_the_effective_set()
    {
        BpfCapabilities.Missing(0).ShouldBe("CAP_BPF (or CAP_SYS_ADMIN)");
        BpfCapabilities.Missing(1UL << 38 /* CAP_PERFMON alone */).ShouldNotBeNull();
        BpfCapabilities.Missing(1UL << BpfCapabilities.CapBpf).ShouldBeNull();
        BpfCapabilities.Missing(1UL << BpfCapabilities.CapSysAdmin).ShouldBeNull();
        // This process (root in the suite) has them: an -EPERM stays the kernel's plain answer.
        var plain = new BpfException("x", Errno.EPERM);
        if (BpfCapabilities.Effective() is { } caps && BpfCapabilities.Missing(caps) is null)
            BpfCapabilities.Explain(plain).ShouldBeSameAs(plain);
        BpfCapabilities.Explain(new BpfException("y", Errno.EINVAL)).ShouldNotBeOfType<BpfPermissionException>();
    }

    [Test]
    public void Pin_outside_bpffs_gives_libbpfs_message_and_leaves_nothing()
    {
        string root = Directory.CreateTempSubdirectory("bpftests-not-bpffs-").FullName;
        try
        {
            var result = FaultRun.Load(Progs.Path("pinned"), new ObjectOpenOptions { PinRoot = root }, BpfFaultPlan.Counting(), freshPins: false);
            result.Error.ShouldNotBeNull("pinning outside bpffs must fail the load");
            result.Error.Error.ShouldBe(-Errno.EINVAL);
            result.Log.ShouldContain($"libbpf: specified path {root}/pinned_counts is not on BPF FS\n");
            result.Log.ShouldContain($"libbpf: map 'pinned_counts': failed to auto-pin at '{root}/pinned_counts': -EINVAL\n");
            Directory.GetFileSystemEntries(root).ShouldBeEmpty();
            result.LeakedFds.ShouldBeEmpty();
            result.StillAlive.ShouldBeEmpty();
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Test]
    public void Missing_pin_folder_on_bpffs_is_created_like_libbpf()
    {
        Gate.RequireFeature(PinningTests.BpffsMounted(), "bpffs", "pinning needs a bpf filesystem at /sys/fs/bpf");
        string root = $"/sys/fs/bpf/bpftests-newdir-{Environment.ProcessId}";
        try
        {
            using (var obj = BpfObject.Open(Progs.Path("pinned"), new ObjectOpenOptions { PinRoot = root }))
                obj.Load();
            File.Exists($"{root}/pinned_counts").ShouldBeTrue("the folder was made and the map pinned in it");
        }
        finally
        {
            if (Directory.Exists(root))
                Directory.Delete(root, recursive: true);
        }
    }

    [Test]
    public void Enospc_doubles_the_log_buffer_until_libbpfs_cap()
    {
        // A plain load first, so that the process-wide feature probes (program loads themselves) are cached and the
        // plan counts only this object's loads, whichever test ran before.
        using (var warm = BpfObject.Open(Progs.Path("minimal")))
            warm.Load();
        var plan = new BpfFaultPlan { FailAt = 1, Times = 1000, Errno = Errno.ENOSPC, Only = (int)BpfCommand.ProgLoad };
        var result = FaultRun.Load(Progs.Path("minimal"), new ObjectOpenOptions(), plan, freshPins: false);
        result.Error.ShouldBeOfType<BpfLoader.Programs.BpfProgramLoadException>().Error.ShouldBe(-Errno.ENOSPC);
        // No log, then 16 MiB - 1 doubled while at most UINT_MAX / 2: 9 sizes.
        plan.Injected.ShouldBe(10);
        FaultExpectation.ProgLoadAttempts(Errno.ENOSPC).ShouldBe(10);
        result.StillAlive.ShouldBeEmpty();
    }
}
