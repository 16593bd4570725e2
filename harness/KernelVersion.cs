using System.Globalization;

namespace BpfHarness;

/// <summary>
/// A kernel release as <c>major.minor.patch</c>, parsed from uname's release string
/// (<c>6.18.44-fc-v657</c>, <c>6.1.0-28-amd64</c>, <c>6.9</c>). Anything after the numeric prefix
/// (flavour, local version, <c>-rc3</c>) is ignored: gates compare versions, not builds.
/// </summary>
public readonly record struct KernelVersion(int Major, int Minor, int Patch) : IComparable<KernelVersion>
{
    /// <summary>Parses <c>MAJOR.MINOR[.PATCH][suffix]</c> as uname -r prints it; a FormatException otherwise.</summary>
    public static KernelVersion Parse(string release) =>
        TryParse(release, out var v) ? v : throw new FormatException($"not a kernel release: '{release}'");

    /// <summary>As <see cref="Parse"/>, returning false instead of throwing.</summary>
    public static bool TryParse(string? release, out KernelVersion version)
    {
        version = default;
        if (string.IsNullOrWhiteSpace(release))
            return false;
        Span<int> parts = stackalloc int[3];
        int count = 0, i = 0;
        string s = release.Trim();
        while (count < 3)
        {
            int start = i;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
                i++;
            if (i == start || !int.TryParse(s.AsSpan(start, i - start), NumberStyles.None, CultureInfo.InvariantCulture, out parts[count]))
                break;
            count++;
            if (i >= s.Length || s[i] != '.')
                break;
            i++;
        }
        if (count < 2) // "6" alone is not a release uname produces; refuse rather than guess
            return false;
        version = new KernelVersion(parts[0], parts[1], count > 2 ? parts[2] : 0);
        return true;
    }

    /// <summary>Orders by major, minor, patch.</summary>
    public int CompareTo(KernelVersion other) =>
        Major != other.Major ? Major.CompareTo(other.Major)
        : Minor != other.Minor ? Minor.CompareTo(other.Minor)
        : Patch.CompareTo(other.Patch);

    /// <summary>Whether <paramref name="a"/> is older than <paramref name="b"/>.</summary>
    public static bool operator <(KernelVersion a, KernelVersion b) => a.CompareTo(b) < 0;
    /// <summary>Whether <paramref name="a"/> is newer than <paramref name="b"/>.</summary>
    public static bool operator >(KernelVersion a, KernelVersion b) => a.CompareTo(b) > 0;
    /// <summary>Whether <paramref name="a"/> is not newer than <paramref name="b"/>.</summary>
    public static bool operator <=(KernelVersion a, KernelVersion b) => a.CompareTo(b) <= 0;
    /// <summary>Whether <paramref name="a"/> is not older than <paramref name="b"/>.</summary>
    public static bool operator >=(KernelVersion a, KernelVersion b) => a.CompareTo(b) >= 0;

    /// <inheritdoc/>
    public override string ToString() => $"{Major}.{Minor}.{Patch}";
}
