namespace BpfTests.TestProgs.Selection;

/// <summary>
/// <c>-n</c> number lists (parse_num_list, test_progs.md §3.6): <c>N</c>, <c>A-B</c> and comma lists
/// of them. Like strtol, a number may have leading blanks and a sign; an empty item between commas
/// reads as 0. <c>A &gt; B</c>, a dangling <c>-</c>, anything else after a number, or an empty list is
/// an error. Negative numbers are refused (upstream indexes an array with them).
/// </summary>
public static class NumberList
{
    /// <summary>The set of numbers, or null when <paramref name="text"/> is not a valid list.</summary>
    public static IReadOnlySet<int>? Parse(string text)
    {
        var set = new HashSet<int>();
        int i = 0, start = 0;
        bool parsingEnd = false, any = false;
        while (i < text.Length)
        {
            if (!TryReadNumber(text, ref i, out int num))
                return null;
            int end;
            if (parsingEnd)
            {
                end = num;
            }
            else
            {
                start = num;
                end = num;
            }
            char next = i < text.Length ? text[i] : '\0';
            if (!parsingEnd && next == '-')
            {
                i++;
                parsingEnd = true;
                continue;
            }
            if (next == ',')
                i++;
            else if (next != '\0')
                return null;
            parsingEnd = false;
            if (start > end || start < 0)
                return null;
            for (int n = start; n <= end; n++)
                set.Add(n);
            any = true;
        }
        return !any || parsingEnd ? null : set;
    }

    // strtol(s, &next, 10) without errno: no digits reads 0 and consumes nothing; overflow is an error.
    private static bool TryReadNumber(string s, ref int i, out int value)
    {
        value = 0;
        int p = i;
        while (p < s.Length && char.IsWhiteSpace(s[p]))
            p++;
        bool negative = false;
        if (p < s.Length && (s[p] == '+' || s[p] == '-'))
            negative = s[p++] == '-';
        int digitsStart = p;
        long v = 0;
        while (p < s.Length && s[p] is >= '0' and <= '9')
        {
            v = v * 10 + (s[p++] - '0');
            if (v > int.MaxValue)
                return false;
        }
        if (p == digitsStart)
            return true; // no number: value 0, nothing consumed (i stays)
        value = (int)(negative ? -v : v);
        i = p;
        return true;
    }
}
