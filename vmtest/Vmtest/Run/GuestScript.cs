using BpfTests.Vmtest.Provision;

namespace BpfTests.Vmtest.Run;

/// <summary>
/// The two files the host writes on the work share before booting: vm.env (read by stage1.sh)
/// and guest.sh (run by stage1.sh, chrooted into the guest's view of the host root).
/// </summary>
public static class GuestScript
{
    public static void Write(string workDir, KernelTree kernel, string repo, string command, TimeSpan testTimeout, IReadOnlyDictionary<string, string> env)
    {
        File.WriteAllText(Path.Combine(workDir, "vm.env"), string.Join('\n',
            $"KERNEL_RELEASE={TestCommand.Q(kernel.Release)}",
            $"KERNEL_MODULES={TestCommand.Q(kernel.ModulesDir)}",
            $"KERNEL_CONFIG={TestCommand.Q(kernel.Config)}",
            ""));
        var exports = env.Select(kv => $"export {kv.Key}={TestCommand.Q(kv.Value)}");
        File.WriteAllText(Path.Combine(workDir, "guest.sh"), string.Join('\n', new[]
        {
            "#!/bin/sh",
            $"# Written by vmtest for kernel {kernel.Series} ({kernel.Release}); runs inside the guest.",
            // .NET needs writable TMPDIR/HOME (named mutexes, first-run state); the overlay root gives both.
            // HOME stays as on the host so `dotnet test` finds the host's NuGet state for its no-op restore.
            "export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root TMPDIR=/tmp LANG=C.UTF-8",
            "export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1 DOTNET_SKIP_WORKLOAD_INTEGRITY_CHECK=1",
            // measured: ~10% faster start under TCG
            "export DOTNET_TieredPGO=0",
        }.Concat(exports).Concat(new[]
        {
            "ulimit -l unlimited 2>/dev/null",
            $"cd {TestCommand.Q(repo)}",
            // the guest-side limit ends a hung test run early enough for results and dmesg to be saved
            $"timeout -s KILL {(int)testTimeout.TotalSeconds} sh -c {TestCommand.Q(command)} >{TestCommand.Q(Path.Combine(workDir, "output.log"))} 2>&1",
            "",
        })));
    }
}
