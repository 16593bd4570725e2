using System.Diagnostics;
using System.Text;

namespace BpfTests.Vmtest.Exec;

/// <summary>How to start a child process.</summary>
public sealed record ProcessSpec(string FileName, IReadOnlyList<string> Arguments)
{
    public string? WorkingDirectory { get; init; }
    public IReadOnlyDictionary<string, string?>? Environment { get; init; }
    /// <summary>Keep stdout/stderr in the result (otherwise they only go to the callbacks).</summary>
    public bool Capture { get; init; } = true;
    public Action<string>? OnOutputLine { get; init; }
    /// <summary>Both streams to this file instead of memory (long-running helpers such as virtiofsd).</summary>
    public string? LogFile { get; init; }

    public override string ToString() => FileName + " " + string.Join(' ', Arguments.Select(Quote));

    private static string Quote(string a) => a.Length > 0 && a.All(c => char.IsLetterOrDigit(c) || "-_./=:,+@%".Contains(c)) ? a : "'" + a.Replace("'", "'\\''") + "'";
}

public sealed record ProcessResult(int ExitCode, string Output, string Error, bool TimedOut, TimeSpan Elapsed)
{
    public bool Succeeded => ExitCode == 0 && !TimedOut;
}

/// <summary>A started child process; disposing kills it and its descendants.</summary>
public sealed class RunningProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _out = new(), _err = new();
    private readonly StreamWriter? _log;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly TaskCompletionSource _outDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _errDone = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal RunningProcess(ProcessSpec spec)
    {
        Spec = spec;
        var psi = new ProcessStartInfo(spec.FileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true, // closed at once: a child never waits on our terminal
            UseShellExecute = false,
            WorkingDirectory = spec.WorkingDirectory ?? "",
        };
        foreach (var a in spec.Arguments) psi.ArgumentList.Add(a);
        if (spec.Environment != null)
            foreach (var (k, v) in spec.Environment)
                if (v == null) psi.Environment.Remove(k); else psi.Environment[k] = v;
        if (spec.LogFile != null) _log = new StreamWriter(spec.LogFile, append: true) { AutoFlush = true };

        _process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => OnLine(e.Data, _out, _outDone);
        _process.ErrorDataReceived += (_, e) => OnLine(e.Data, _err, _errDone);
        if (!_process.Start()) throw new InvalidOperationException($"cannot start {spec.FileName}");
        _process.StandardInput.Close();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public ProcessSpec Spec { get; }
    public int Id => _process.Id;
    public bool HasExited => _process.HasExited;

    private void OnLine(string? line, StringBuilder buffer, TaskCompletionSource done)
    {
        if (line == null) { done.TrySetResult(); return; }
        lock (buffer)
        {
            if (Spec.Capture) buffer.AppendLine(line);
        }
        lock (_clock) _log?.WriteLine(line);
        Spec.OnOutputLine?.Invoke(line);
    }

    /// <summary>Waits for exit; after <paramref name="timeout"/> (or on cancellation) kills the process tree.</summary>
    public async Task<ProcessResult> WaitAsync(TimeSpan? timeout = null, CancellationToken ct = default)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        if (timeout is { } t && t != Timeout.InfiniteTimeSpan) cts.CancelAfter(t);
        bool timedOut = false;
        try
        {
            await _process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Kill();
            await _process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            if (ct.IsCancellationRequested) throw;
            timedOut = true;
        }
        // Output may still be draining; a grandchild holding the pipe must not block us forever.
        await Task.WhenAny(Task.WhenAll(_outDone.Task, _errDone.Task), Task.Delay(2000, CancellationToken.None)).ConfigureAwait(false);
        string o, e;
        lock (_out) o = _out.ToString();
        lock (_err) e = _err.ToString();
        return new ProcessResult(_process.ExitCode, o, e, timedOut, _clock.Elapsed);
    }

    public void Kill()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException) { /* already gone */ }
        catch (System.ComponentModel.Win32Exception) { /* raced with exit */ }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        try { await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false); }
        catch (TimeoutException) { }
        lock (_clock) _log?.Dispose();
        _process.Dispose();
    }
}

/// <summary>The one way this project runs child processes: BCL Process, a timeout, cancellation, tree kill.</summary>
public static class ProcessRunner
{
    public static RunningProcess Start(ProcessSpec spec) => new(spec);

    public static async Task<ProcessResult> RunAsync(ProcessSpec spec, TimeSpan? timeout = null, CancellationToken ct = default)
    {
        await using var p = Start(spec);
        return await p.WaitAsync(timeout, ct).ConfigureAwait(false);
    }

    public static Task<ProcessResult> RunAsync(string file, params string[] args) =>
        RunAsync(new ProcessSpec(file, args));

    /// <summary>Runs and throws with the command, exit code and output tail when it fails.</summary>
    public static async Task<ProcessResult> CheckedAsync(ProcessSpec spec, TimeSpan? timeout = null, CancellationToken ct = default)
    {
        var r = await RunAsync(spec, timeout, ct).ConfigureAwait(false);
        if (!r.Succeeded)
            throw new VmtestException($"command failed ({(r.TimedOut ? "timed out" : "exit " + r.ExitCode)}): {spec}\n{Tail(r.Output + r.Error, 40)}");
        return r;
    }

    public static Task<ProcessResult> CheckedAsync(string file, params string[] args) => CheckedAsync(new ProcessSpec(file, args));

    public static string Tail(string text, int lines)
    {
        var all = text.Split('\n');
        return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
    }
}

/// <summary>A failure of the runner itself (not of the tests).</summary>
public sealed class VmtestException(string message) : Exception(message);
