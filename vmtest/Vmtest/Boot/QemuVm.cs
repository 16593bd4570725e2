using System.Diagnostics;
using BpfTests.Vmtest.Exec;
using BpfTests.Vmtest.Provision;

namespace BpfTests.Vmtest.Boot;

/// <summary>How a guest ended, as seen from the host.</summary>
public sealed record VmExit(int? QemuExitCode, bool TimedOut, string? EarlyKillReason, TimeSpan Wall);

/// <summary>
/// Boots one guest and waits for it under a host wall-clock timeout. The console goes to a file
/// (serial output is expensive under TCG and a file never blocks the guest); the host tails it
/// for progress and for fatal markers, on which it kills QEMU at once instead of waiting.
/// </summary>
public static class QemuVm
{
    /// <summary>Console lines after which the guest cannot recover: kill QEMU now.</summary>
    public static readonly string[] FatalMarkers = ["end Kernel panic", "rcu: RCU grace-period kthread stack dump:", "KVM internal error"];

    public static IReadOnlyList<string> Arguments(QemuInstall qemu, VmOptions o, IEnumerable<VirtiofsShare> shares)
    {
        var append = new List<string>
        {
            "console=ttyS0,115200", "quiet", "loglevel=4",
            // an oops or init's death ends the VM (QEMU exits) instead of hanging it
            "panic=-1", "oops=panic", "raid=noautodetect", "rdinit=/init",
            // a parameter without a dot reaches init's environment
            $"BPFTESTS_WORK={o.WorkDir}",
        };
        if (o.Lpj != null) append.Add($"lpj={o.Lpj}");
        append.AddRange(o.ExtraKernelArgs);
        var args = new List<string>(qemu.FirmwareArgs)
        {
            "-accel", o.Kvm ? "kvm" : "tcg", "-M", "q35,memory-backend=mem", "-cpu", o.Kvm ? "host" : "max",
            "-smp", o.Cpus.ToString(), "-m", $"{o.MemoryMiB}",
            // vhost-user (virtiofs) needs guest memory the daemons can map
            "-object", $"memory-backend-memfd,id=mem,size={o.MemoryMiB}M,share=on",
            "-nodefaults", "-display", "none", "-no-reboot",
            "-serial", $"file:{o.ConsoleLog}",
            "-device", "virtio-rng-pci",
            // a guest panic makes QEMU exit 1 (poweroff and init's death would both give 0)
            "-device", "pvpanic-pci", "-action", "panic=exit-failure",
            "-kernel", o.Kernel, "-initrd", o.Initrd,
            "-append", string.Join(' ', append),
        };
        foreach (var s in shares) args.AddRange(s.QemuArgs);
        return args;
    }

    /// <summary>
    /// Starts virtiofsd for root and work, boots, waits. <paramref name="onConsoleLine"/> sees every
    /// console line as it appears. Never leaves QEMU or virtiofsd running.
    /// </summary>
    public static async Task<VmExit> RunAsync(QemuInstall qemu, VmOptions o, Action<string>? onConsoleLine, Action? onTick, CancellationToken ct)
    {
        Directory.CreateDirectory(o.RunDir);
        File.WriteAllText(o.ConsoleLog, "");
        var clock = Stopwatch.StartNew();
        await using var root = await VirtiofsShare.StartRootAsync(QemuInstall.Virtiofsd, o.RunDir, ct);
        await using var work = await VirtiofsShare.StartWorkAsync(QemuInstall.Virtiofsd, o.RunDir, o.WorkDir, ct);
        var args = Arguments(qemu, o, [root, work]);
        File.WriteAllText(Path.Combine(o.RunDir, "qemu.cmdline"), qemu.Binary + " " + string.Join(' ', args) + "\n");
        await using var vm = ProcessRunner.Start(new ProcessSpec(qemu.Binary, args) { LogFile = Path.Combine(o.RunDir, "qemu.log") });

        using var tail = new FileTail(o.ConsoleLog);
        string? fatal = null;
        var deadline = clock.Elapsed + o.Timeout;
        while (!vm.HasExited)
        {
            foreach (var line in tail.ReadNewLines())
            {
                onConsoleLine?.Invoke(line);
                if (fatal == null && FatalMarkers.Any(line.Contains)) fatal = line.Trim();
            }
            onTick?.Invoke();
            if (fatal != null || clock.Elapsed > deadline) break;
            try { await Task.Delay(200, ct); }
            catch (OperationCanceledException) { vm.Kill(); throw; }
        }
        bool timedOut = !vm.HasExited && fatal == null;
        bool killed = !vm.HasExited;
        if (killed)
        {
            // let a panic finish printing its trace before the kill
            if (fatal != null) await Task.Delay(500, CancellationToken.None);
            vm.Kill();
        }
        var r = await vm.WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None);
        foreach (var line in tail.ReadNewLines(flush: true))
        {
            onConsoleLine?.Invoke(line);
            if (fatal == null && timedOut && FatalMarkers.Any(line.Contains)) fatal = line.Trim();
        }
        // a QEMU we killed has no exit code of its own to report
        return new VmExit(killed ? null : r.ExitCode, timedOut, fatal, clock.Elapsed);
    }
}

/// <summary>Reads the lines appended to a file since the last call (the file is written by QEMU).</summary>
internal sealed class FileTail(string path) : IDisposable
{
    private readonly FileStream _stream = new(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
    private readonly System.Text.StringBuilder _partial = new();

    public IEnumerable<string> ReadNewLines(bool flush = false)
    {
        var buf = new byte[65536];
        int n;
        var lines = new List<string>();
        while ((n = _stream.Read(buf, 0, buf.Length)) > 0)
        {
            _partial.Append(System.Text.Encoding.UTF8.GetString(buf, 0, n));
            var text = _partial.ToString();
            var last = text.LastIndexOf('\n');
            if (last < 0) continue;
            lines.AddRange(text[..last].Split('\n').Select(l => l.TrimEnd('\r')));
            _partial.Clear().Append(text[(last + 1)..]);
        }
        if (flush && _partial.Length > 0) { lines.Add(_partial.ToString()); _partial.Clear(); }
        return lines;
    }

    public void Dispose() => _stream.Dispose();
}
