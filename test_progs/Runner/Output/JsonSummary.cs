using System.Text;

namespace BpfTests.TestProgs.Output;

/// <summary>
/// The -J summary (test_progs.md §9): one compact line. <c>results</c> lists failed tests (number
/// order) with their failed subtests, filled only by the error-summary pass (not verbose, F &gt; 0).
/// Strings are escaped as upstream's writer does (<c>\t \n \r \f \b \\ \"</c>, other bytes raw) except
/// two documented deviations for valid JSON (§15 #8): <c>'</c> stays unescaped and other control
/// characters become <c>\u00XX</c>.
/// <para>
/// Port extension, only when asked (<see cref="EveryTestVariable"/>; vmtest sets it in its guests): a
/// <c>"tests"</c> array after <c>results</c> with every tested test in number order,
/// <c>{"name","number","fixture","result","seconds","reason"?,"log"}</c> — <c>result</c> as on the
/// test's line (<c>OK</c>, <c>SKIP</c>, <c>FAIL</c>, <c>OK (SKIP: x/y)</c>), <c>reason</c> NUnit's skip or
/// failure message, <c>log</c> what <c>-v</c> prints for the test (its log, each subtest's log and line,
/// the test line). Readers of upstream's shape ignore the extra key; the report reads it to key tests
/// by fixture and name as it does TRX files.
/// </para>
/// </summary>
public static class JsonSummary
{
    public const string EveryTestVariable = "TEST_PROGS_JSON_TESTS";

    public static string Render(Summary s, IEnumerable<TestOutcome> failedTests, IEnumerable<TestOutcome>? everyTest = null)
    {
        var sb = new StringBuilder();
        sb.Append($"{{\"success\":{s.Success},\"success_subtest\":{s.SubtestSuccess},\"skipped\":{s.Skipped},\"failed\":{s.Failed},\"results\":[");
        bool first = true;
        foreach (var t in failedTests)
        {
            if (!first)
                sb.Append(',');
            first = false;
            sb.Append("{\"name\":").Append(Quote(t.Name)).Append(",\"number\":").Append(t.Number)
              .Append(",\"message\":").Append(Quote(t.Log)).Append(",\"failed\":true,\"subtests\":[");
            bool firstSub = true;
            foreach (var st in t.Subtests.Where(x => x.Failed && !x.Filtered))
            {
                if (!firstSub)
                    sb.Append(',');
                firstSub = false;
                sb.Append("{\"name\":").Append(Quote(st.Name)).Append(",\"number\":").Append(st.Number)
                  .Append(",\"message\":").Append(Quote(st.Log)).Append(",\"failed\":true}");
            }
            sb.Append("]}");
        }
        sb.Append(']');
        if (everyTest is not null)
            AppendEveryTest(sb, everyTest);
        sb.Append("}\n");
        return sb.ToString();
    }

    private static void AppendEveryTest(StringBuilder sb, IEnumerable<TestOutcome> tests)
    {
        sb.Append(",\"tests\":[");
        bool first = true;
        foreach (var t in tests.OrderBy(t => t.Number))
        {
            if (!first)
                sb.Append(',');
            first = false;
            sb.Append("{\"name\":").Append(Quote(t.Name)).Append(",\"number\":").Append(t.Number)
              .Append(",\"fixture\":").Append(Quote(t.Fixture)).Append(",\"result\":").Append(Quote(t.Result))
              .Append(",\"seconds\":").Append(t.Seconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture));
            if (t.Message is not null)
                sb.Append(",\"reason\":").Append(Quote(t.Message));
            sb.Append(",\"log\":").Append(Quote(LogDump.Render(t, verbose: true, parallelResult: true, errorSummary: false))).Append('}');
        }
        sb.Append(']');
    }

    public static string Quote(string s)
    {
        var sb = new StringBuilder(s.Length + 2).Append('"');
        foreach (char c in s)
        {
            switch (c)
            {
                case '\t': sb.Append("\\t"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\f': sb.Append("\\f"); break;
                case '\b': sb.Append("\\b"); break;
                case '\\': sb.Append("\\\\"); break;
                case '"': sb.Append("\\\""); break;
                default:
                    if (c < 0x20)
                        sb.Append($"\\u{(int)c:x4}");
                    else
                        sb.Append(c);
                    break;
            }
        }
        return sb.Append('"').ToString();
    }
}
