using System.Collections.Concurrent;

namespace BpfLoader.Kernel;

/// <summary>
/// File descriptors the loader keeps open for the whole process on purpose (module BTF objects, feature-probe
/// caches). Leak checkers consult this registry so that such fds are not reported as leaks of a test.
/// </summary>
internal static class ProcessWideFds
{
    private static readonly ConcurrentDictionary<int, string> Fds = new();

    public static void Register(int fd, string what) => Fds[fd] = what;

    public static void Unregister(int fd) => Fds.TryRemove(fd, out _);

    public static bool Contains(int fd) => Fds.ContainsKey(fd);

    public static IReadOnlyDictionary<int, string> Snapshot() => new Dictionary<int, string>(Fds);
}
