using System.Security.Cryptography;

namespace BpfTests.Vmtest.Provision;

/// <summary>
/// Cached .deb files stay trustworthy: apt-get download checks a package against the archive's signed index
/// once, then its SHA-256 is kept next to it (<c>NAME.deb.sha256</c>). A cached copy that no longer matches (a
/// disk error, a truncated or overwritten copy) is discarded and downloaded again instead of being unpacked.
/// A file cached before checksums were kept gets its record on first use.
/// </summary>
public static class DebChecksums
{
    public enum State { Intact, Corrupt, Recorded }

    public static string RecordPath(string deb) => deb + ".sha256";

    public static void Record(string deb) => File.WriteAllText(RecordPath(deb), Of(deb) + "\n");

    /// <summary>Checks a cached file against its record (making the record if there is none).</summary>
    public static State Check(string deb)
    {
        var record = RecordPath(deb);
        if (!File.Exists(record))
        {
            Record(deb);
            return State.Recorded;
        }
        return File.ReadAllText(record).Trim() == Of(deb) ? State.Intact : State.Corrupt;
    }

    public static void Discard(string deb)
    {
        File.Delete(deb);
        File.Delete(RecordPath(deb));
    }

    private static string Of(string path)
    {
        using var s = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(s));
    }
}
