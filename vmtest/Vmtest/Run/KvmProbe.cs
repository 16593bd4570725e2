using BpfTests.Vmtest.Boot;
using BpfTests.Vmtest.Provision;

namespace BpfTests.Vmtest.Run;

/// <summary>
/// KVM is used only when a tiny guest boots under it and powers off cleanly within 20 s: on this
/// machine kind /dev/kvm exists but Linux guests stop with "KVM internal error" and QEMU hangs.
/// </summary>
public static class KvmProbe
{
    public static async Task<bool> WorksAsync(Provisioner provisioner, KernelTree kernel, string initrd, IProgress progress, CancellationToken ct)
    {
        if (!File.Exists("/dev/kvm")) { progress.Info(kernel.Series, "no /dev/kvm: TCG"); return false; }
        var work = Directory.CreateTempSubdirectory("bpftests-kvm-work-").FullName;
        var run = Directory.CreateTempSubdirectory("bpftests-kvm-run-").FullName;
        try
        {
            GuestScript.Write(work, kernel, provisioner.Paths.RepoRoot, "true", TimeSpan.FromSeconds(10), new Dictionary<string, string>());
            var qemu = await provisioner.QemuAsync(ct);
            var exit = await QemuVm.RunAsync(qemu, new VmOptions { Kernel = kernel.Vmlinuz, Initrd = initrd, WorkDir = work, RunDir = run, Timeout = TimeSpan.FromSeconds(20), Kvm = true }, null, null, ct);
            var status = Results.GuestStatus.Load(Path.Combine(work, "status"));
            var ok = exit.QemuExitCode == 0 && status?.CleanShutdown == true;
            progress.Info(kernel.Series, ok ? "KVM probe boot worked: using KVM" : "KVM probe boot failed (hang or error): using TCG");
            return ok;
        }
        finally
        {
            await CacheEntry.RemoveTreeAsync(work);
            await CacheEntry.RemoveTreeAsync(run);
        }
    }
}
