namespace BpfHarness.Leaks;

/// <summary>What /proc/self/fd and /proc/self/fdinfo say about one fd.</summary>
internal static class FdTable
{
    // readlink(/proc/self/fd/N) for BPF objects is "anon_inode:" + the name the kernel passes to
    // anon_inode_getfd/getfile: "bpf-map", "bpf-prog", "bpf_link", "btf", "bpf_iter" (kernel/bpf/*.c).
    internal static string? Classify(string target) => target switch
    {
        "anon_inode:bpf-map" => "map",
        "anon_inode:bpf-prog" => "prog",
        "anon_inode:bpf_link" => "link",
        "anon_inode:btf" => "btf",
        "anon_inode:bpf_iter" => "bpf_iter",
        _ when target.Contains("bpf-token", StringComparison.Ordinal) => "bpf_token", // bpffs pseudo file
        "anon_inode:[perf_event]" => "perf_event",
        _ when target.StartsWith("/memfd:", StringComparison.Ordinal) => "memfd",
        _ => null,
    };

    internal static bool IsBpf(string kind) => kind is "map" or "prog" or "link" or "btf" or "bpf_iter" or "bpf_token";

    internal static string? ReadLink(int fd)
    {
        try
        {
            return new FileInfo($"/proc/self/fd/{fd}").LinkTarget;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null; // closed meanwhile
        }
    }

    /// <summary>"key:\tvalue" lines of /proc/self/fdinfo/N; empty if the fd is gone.</summary>
    internal static Dictionary<string, string> ReadFdInfo(int fd)
    {
        var d = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            foreach (var line in File.ReadLines($"/proc/self/fdinfo/{fd}"))
            {
                int colon = line.IndexOf(':');
                if (colon > 0)
                    d.TryAdd(line[..colon], line[(colon + 1)..].Trim());
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
        return d;
    }

    internal static LeakedFd Describe(int fd, string target, string kind)
    {
        var info = ReadFdInfo(fd);
        string? Get(string key) => info.GetValueOrDefault(key);
        string description = kind switch
        {
            "map" => $"map{Quoted(BpfInfo.MapName(fd))} (id {Get("map_id")}, fd {fd})",
            "prog" => $"prog{Quoted(BpfInfo.ProgName(fd))} (id {Get("prog_id")}, fd {fd})",
            "link" => $"link (id {Get("link_id")}, type {Get("link_type")}, prog id {Get("prog_id")}, fd {fd})",
            "btf" => $"btf (id {Get("btf_id")}, fd {fd})",
            "memfd" => $"memfd{Quoted(MemfdName(target))} (fd {fd})",
            _ => $"{kind} (fd {fd})",
        };
        return new LeakedFd(fd, kind, description, IsBpf(kind));
    }

    private static string Quoted(string? name) => string.IsNullOrEmpty(name) ? "" : $" '{name}'";

    // "/memfd:NAME (deleted)"
    private static string MemfdName(string target)
    {
        var name = target["/memfd:".Length..];
        return name.EndsWith(" (deleted)", StringComparison.Ordinal) ? name[..^" (deleted)".Length] : name;
    }
}
