using System.Security.Cryptography;

namespace BpfTests.Vmtest.Provision;

internal static class Hashing
{
    /// <summary>SHA-256 over names and contents: a cache key that changes when any input does.</summary>
    public static string OfFiles(IEnumerable<string> files)
    {
        using var h = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var f in files)
        {
            h.AppendData(System.Text.Encoding.UTF8.GetBytes(Path.GetFileName(f) + "\0"));
            h.AppendData(File.ReadAllBytes(f));
        }
        return Convert.ToHexStringLower(h.GetHashAndReset());
    }

    public static string OfText(string text) => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));
}
