using BpfTests.Vmtest.Exec;

namespace BpfTests.Vmtest.Provision;

/// <summary>
/// A directory in the cache that is created whole or not at all: filled in a temporary sibling
/// under an exclusive lock, then published with an atomic rename. A crash leaves only a
/// temporary directory, which the next attempt removes.
/// </summary>
public static class CacheEntry
{
    public static async Task<string> EnsureAsync(string path, Func<string, CancellationToken, Task> fill, CancellationToken ct = default)
    {
        if (Directory.Exists(path)) return path;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await using var held = await AcquireAsync(path + ".lock", ct).ConfigureAwait(false);
        if (Directory.Exists(path)) return path; // another process made it while we waited
        var tmp = path + ".tmp";
        if (Directory.Exists(tmp)) await RemoveTreeAsync(tmp).ConfigureAwait(false);
        Directory.CreateDirectory(tmp);
        try
        {
            await fill(tmp, ct).ConfigureAwait(false);
            Directory.Move(tmp, path);
        }
        catch
        {
            await RemoveTreeAsync(tmp).ConfigureAwait(false);
            throw;
        }
        return path;
    }

    /// <summary>An exclusive lock file (.NET maps FileShare.None to flock on Linux); waits for it.</summary>
    public static async Task<FileStream> AcquireAsync(string lockPath, CancellationToken ct)
    {
        for (var waited = 0; ; waited++)
        {
            try
            {
                return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                if (waited == 0) Console.Error.WriteLine($"vmtest: waiting for the cache lock {lockPath}");
                await Task.Delay(500, ct).ConfigureAwait(false);
            }
        }
    }

    /// <summary>rm -rf: extracted packages contain read-only directories that Directory.Delete trips on.</summary>
    public static async Task RemoveTreeAsync(string path) => await ProcessRunner.CheckedAsync("rm", "-rf", "--one-file-system", path).ConfigureAwait(false);
}
