namespace BpfTests.Vmtest.Run;

/// <summary>Live progress for a person watching the host console.</summary>
public interface IProgress
{
    void Info(string series, string message);
}

public sealed class ConsoleProgress(TextWriter? writer = null) : IProgress
{
    private readonly TextWriter _w = writer ?? Console.Error;
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    public void Info(string series, string message)
    {
        lock (_w) _w.WriteLine($"[vmtest {series} {_clock.Elapsed.TotalSeconds,6:F1}s] {message}");
    }
}

public sealed class NullProgress : IProgress
{
    public void Info(string series, string message) { }
}
