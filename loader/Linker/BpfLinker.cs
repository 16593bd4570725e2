namespace BpfLoader.Linker;

/// <summary>
/// The static BPF linker (libbpf's <c>bpf_linker</c>, bpftool's <c>gen object</c>): merges relocatable BPF
/// objects into one that libbpf and this loader open like a clang output. Each input goes through, in order:
/// <see cref="InputReader"/> (checks, BTF pre-fixup), <see cref="SectionMerger"/>, <see cref="SymbolResolver"/>,
/// <see cref="RelocationMerger"/>, <see cref="BtfMerger"/>, <see cref="BtfExtMerger"/>; then
/// <see cref="LinkFinalizer"/> emits DATASECs and .BTF.ext, deduplicates the BTF and lays out the ELF.
/// The result is deterministic (same inputs, same bytes). Failures throw <see cref="BpfLinkException"/> with
/// libbpf's text; <see cref="LinkFiles"/> then leaves no output file behind.
/// </summary>
public static class BpfLinker
{
    /// <summary>Links <paramref name="inputs"/> in order and returns the output object's bytes.</summary>
    public static byte[] Link(IEnumerable<string> inputs)
    {
        var state = new LinkState();
        foreach (string path in inputs)
        {
            BpfLoader.Diagnostics.LibbpfLog.Debug($"linker: adding object file '{path}'...");
            var input = InputReader.Read(path);
            SectionMerger.Append(state, input);
            SymbolResolver.Append(state, input);
            RelocationMerger.Append(state, input);
            BtfMerger.Append(state, input);
            BtfExtMerger.Append(state, input);
        }
        return LinkFinalizer.Finish(state);
    }

    /// <summary>
    /// Links <paramref name="inputs"/> into <paramref name="output"/> (mode 0644): written to a temporary file
    /// next to it and renamed, so a failed link leaves any previous output untouched and no partial file.
    /// </summary>
    public static void LinkFiles(string output, IReadOnlyList<string> inputs)
    {
        var bytes = Link(inputs);
        string full = Path.GetFullPath(output);
        string tmp = Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        try
        {
            File.WriteAllBytes(tmp, bytes);
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(tmp, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            File.Move(tmp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(tmp))
                File.Delete(tmp);
        }
    }
}
