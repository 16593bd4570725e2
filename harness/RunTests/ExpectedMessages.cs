using static BpfHarness.TP;

namespace BpfHarness;

/// <summary>test_loader.c's <c>validate_msgs</c>: every expected message must match the log, each after the previous.</summary>
public static class ExpectedMessages
{
    /// <summary>
    /// True when all of <paramref name="expected"/> match <paramref name="log"/> in order. Otherwise fails the
    /// subtest with upstream's output: <c>expect_msg</c>, the log (unless verbose, where it was printed already),
    /// then one <c>MATCHED </c>/<c>EXPECTED</c> line per message up to the first that did not match.
    /// </summary>
    public static bool Validate(string log, IReadOnlyList<ExpectedMessage> expected, Action<string, bool> emitLog)
    {
        int from = 0;
        for (int i = 0; i < expected.Count; i++)
        {
            int end = expected[i].MatchEnd(log, from);
            if (end >= 0)
            {
                from = end;
                continue;
            }
            PRINT_FAIL("expect_msg\n", func: "validate_msgs");
            if (HarnessSettings.Verbosity == Verbosity.None)
                emitLog(log, true);
            for (int j = 0; j <= i; j++)
                printf($"{(j < i ? "MATCHED " : "EXPECTED")} {(expected[j].IsRegex ? " REGEX" : "SUBSTR")}: '{expected[j].Text}'\n");
            return false;
        }
        return true;
    }
}
