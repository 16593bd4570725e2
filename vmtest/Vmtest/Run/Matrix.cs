namespace BpfTests.Vmtest.Run;

/// <summary>
/// The default kernel matrix. Every kernel runs with BPFTESTS_NO_SKIP=1 (every feature gate should pass
/// there, so a skip becomes a failure): what 6.1 lacks (module struct_ops, .struct_ops.link, '?' DATASEC
/// names) is gated by kernel version, and version gates stay skips under no-skip.
/// </summary>
public static class Matrix
{
    public static readonly IReadOnlyList<string> Default = ["6.1", "6.12", "7.2"];

    /// <summary>A per-kernel table for the end of a run.</summary>
    public static string Table(IEnumerable<KernelRunResult> results)
    {
        var sb = new System.Text.StringBuilder();
        sb.AppendLine($"{"kernel",-7} {"release",-28} {"verdict",-7} {"passed",6} {"failed",6} {"skipped",7} {"wall",7}  problems");
        foreach (var r in results)
        {
            var t = r.Verdict.Tests;
            sb.AppendLine($"{r.Series,-7} {r.Release,-28} {(r.Verdict.Passed ? "PASS" : "FAIL"),-7} {t?.Passed,6} {t?.Failed,6} {t?.Skipped,7} {r.Wall.TotalSeconds,6:F1}s  {string.Join("; ", r.Verdict.Problems)}");
        }
        return sb.ToString();
    }
}
