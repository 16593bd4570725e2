namespace BpfTests.TestProgs.Selection;

/// <summary>test_progs' glob (test_progs.md §3.3): only <c>*</c> is special; the whole name must match.</summary>
public static class Glob
{
    public static bool Match(string text, string pattern) => Match(text.AsSpan(), pattern.AsSpan());

    private static bool Match(ReadOnlySpan<char> text, ReadOnlySpan<char> pattern)
    {
        // Greedy matching with backtracking to the last star: linear for the patterns people write.
        int t = 0, p = 0, star = -1, mark = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = t;
            }
            else if (p < pattern.Length && pattern[p] == text[t])
            {
                p++;
                t++;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++mark;
            }
            else
            {
                return false;
            }
        }
        while (p < pattern.Length && pattern[p] == '*')
            p++;
        return p == pattern.Length;
    }
}
