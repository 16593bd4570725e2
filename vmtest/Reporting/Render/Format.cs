using System.Globalization;
using BpfTests.Reporting.Model;

namespace BpfTests.Reporting.Render;

/// <summary>How times and outcomes read, the same in the HTML page and the Markdown summary.</summary>
public static class Format
{
    public static string Duration(TimeSpan t) =>
        t.TotalSeconds < 1 ? $"{t.TotalMilliseconds:F0} ms"
        : t.TotalSeconds < 60 ? string.Create(CultureInfo.InvariantCulture, $"{t.TotalSeconds:F2} s")
        : $"{(int)t.TotalMinutes}m {t.Seconds:D2}s";

    public static string Seconds(double? s) => s is { } v ? string.Create(CultureInfo.InvariantCulture, $"{v:F2} s") : "?";

    public static string Time(DateTimeOffset? t) => t?.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture) ?? "?";

    /// <summary>test_progs' words for outcomes.</summary>
    public static string Outcome(Outcome o) => o switch
    {
        Model.Outcome.Passed => "OK",
        Model.Outcome.Failed => "FAIL",
        Model.Outcome.Skipped => "SKIP",
        _ => "not run",
    };

    public static string CssClass(Outcome o) => o switch
    {
        Model.Outcome.Passed => "ok",
        Model.Outcome.Failed => "fail",
        Model.Outcome.Skipped => "skip",
        _ => "none",
    };

    public static string Verdict(bool? passed) => passed switch { true => "PASS", false => "FAIL", null => "?" };

    /// <summary>The fixture's short name (the class without its namespace).</summary>
    public static string ShortFixture(string fixture) => fixture.Length == 0 ? "(no fixture)" : fixture[(fixture.LastIndexOf('.') + 1)..];
}
