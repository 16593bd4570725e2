namespace BpfTests.Vmtest.Run;

/// <summary>Live progress for a person watching the host console.</summary>
public interface IProgress
{
    void Info(string series, string message);

    /// <summary>A kernel's test counts changed; <paramref name="finished"/> once its run is over.</summary>
    void Tests(string series, TestCounts counts, bool finished) { }
}

/// <summary>
/// Progress as log lines (CI, pipes): every message, and test counts only every
/// <see cref="StepPercent"/>% of the discovered total (every <see cref="StepTests"/> tests when no
/// total is known) and once at the end — about twenty lines per kernel, not one per test.
/// </summary>
public sealed class ConsoleProgress(TextWriter? writer = null) : IProgress
{
    public const int StepPercent = 5;
    public const int StepTests = 25;

    private readonly TextWriter _w = writer ?? Console.Error;
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private readonly Dictionary<string, int> _lastStep = [];

    public void Info(string series, string message)
    {
        lock (_w) _w.WriteLine($"[vmtest {series} {_clock.Elapsed.TotalSeconds,6:F1}s] {message}");
    }

    public void Tests(string series, TestCounts counts, bool finished)
    {
        if (counts.Done == 0 && counts.Total == null) return; // no test runner (a shell command)
        var step = counts.Percent is { } p ? p / StepPercent : counts.Done / StepTests;
        lock (_lastStep)
        {
            if (!finished && _lastStep.TryGetValue(series, out var last) && last == step) return;
            _lastStep[series] = step;
        }
        Info(series, (finished ? "tests done: " : "tests: ") + counts);
    }

    /// <summary>The right progress for stderr: one updating line on a terminal, log lines otherwise.</summary>
    public static IProgress ForConsole() =>
        !Console.IsErrorRedirected && Environment.GetEnvironmentVariable("TERM") is { } term && term != "dumb"
            && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI"))
            ? new TerminalProgress(Console.Error)
            : new ConsoleProgress();
}

/// <summary>
/// Progress on a terminal: each kernel's counts and latest test on one line that is rewritten in
/// place (carriage return, erase line) while the kernel runs and stays when it ends; messages print
/// above it. Kernels run one after another, so the finished kernels' lines stack up.
/// </summary>
public sealed class TerminalProgress(TextWriter w) : IProgress
{
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private string? _live;

    public void Info(string series, string message)
    {
        lock (w)
        {
            Clear();
            w.WriteLine($"[vmtest {series} {_clock.Elapsed.TotalSeconds,6:F1}s] {message}");
            if (_live != null) w.Write(_live);
            w.Flush();
        }
    }

    public void Tests(string series, TestCounts counts, bool finished)
    {
        if (counts.Done == 0 && counts.Total == null) return; // no test runner (a shell command)
        lock (w)
        {
            Clear();
            var line = Fit($"[vmtest {series} {_clock.Elapsed.TotalSeconds,6:F1}s] {(finished ? "done" : "tests")} {counts}");
            if (finished) { w.WriteLine(line); _live = null; }
            else { w.Write(line); _live = line; }
            w.Flush();
        }
    }

    private void Clear()
    {
        if (_live != null) w.Write("\r\x1b[2K");
    }

    /// <summary>Cut to the terminal's width: a wrapped line could not be rewritten in place.</summary>
    private static string Fit(string line)
    {
        int width;
        try { width = Console.WindowWidth; } catch (IOException) { width = 0; }
        return width > 1 && line.Length >= width ? line[..(width - 2)] + "…" : line;
    }
}

public sealed class NullProgress : IProgress
{
    public void Info(string series, string message) { }
}
