using BpfTests.Vmtest.Exec;

namespace BpfTests.Vmtest.Boot;

/// <summary>
/// A C virtiofsd serving one directory to the guest. The root share exports a read-only,
/// non-recursive bind of / made in a private mount namespace (the C virtiofsd has no read-only
/// switch; non-recursive keeps the host's /proc, /sys and /dev out). The work share is writable.
/// virtiofsd exits by itself when QEMU disconnects; disposing kills it in any case.
/// </summary>
public sealed class VirtiofsShare : IAsyncDisposable
{
    private readonly RunningProcess _process;

    public string Tag { get; }
    public string Socket { get; }

    /// <summary>The virtiofsd process (in its own mount namespace for the root share).</summary>
    public int ProcessId => _process.Id;

    private VirtiofsShare(string tag, string socket, RunningProcess process) { Tag = tag; Socket = socket; _process = process; }

    public static async Task<VirtiofsShare> StartRootAsync(string virtiofsd, string runDir, CancellationToken ct)
    {
        var bind = Path.Combine(runDir, "rootfs");
        Directory.CreateDirectory(bind);
        var socket = Path.Combine(runDir, "root.sock");
        const string script = "mount --bind / \"$1\" && mount -o remount,bind,ro \"$1\" && exec \"$2\" --socket-path=\"$3\" -o source=\"$1\" -o cache=always -o sandbox=namespace";
        var p = ProcessRunner.Start(new ProcessSpec("unshare", ["-m", "--propagation", "private", "sh", "-c", script, "sh", bind, virtiofsd, socket])
            { Capture = false, LogFile = Path.Combine(runDir, "virtiofsd-root.log") });
        return await WaitForSocketAsync(new VirtiofsShare("root", socket, p), ct);
    }

    public static async Task<VirtiofsShare> StartWorkAsync(string virtiofsd, string runDir, string workDir, CancellationToken ct)
    {
        var socket = Path.Combine(runDir, "work.sock");
        var p = ProcessRunner.Start(new ProcessSpec(virtiofsd, [$"--socket-path={socket}", "-o", $"source={workDir}", "-o", "cache=auto", "-o", "posix_lock", "-o", "flock", "-o", "sandbox=namespace"])
            { Capture = false, LogFile = Path.Combine(runDir, "virtiofsd-work.log") });
        return await WaitForSocketAsync(new VirtiofsShare("work", socket, p), ct);
    }

    private static async Task<VirtiofsShare> WaitForSocketAsync(VirtiofsShare share, CancellationToken ct)
    {
        for (var i = 0; i < 100 && !File.Exists(share.Socket); i++)
        {
            if (share._process.HasExited)
            {
                await share.DisposeAsync();
                throw new VmtestException($"virtiofsd for '{share.Tag}' exited at start: {share._process.Spec}");
            }
            await Task.Delay(50, ct);
        }
        if (!File.Exists(share.Socket))
        {
            await share.DisposeAsync();
            throw new VmtestException($"virtiofsd for '{share.Tag}' made no socket within 5 s");
        }
        return share;
    }

    public IEnumerable<string> QemuArgs =>
        ["-chardev", $"socket,id={Tag},path={Socket}", "-device", $"vhost-user-fs-pci,chardev={Tag},tag={Tag}"];

    public async ValueTask DisposeAsync() => await _process.DisposeAsync();
}
