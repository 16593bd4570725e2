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
            try
            {
                var input = InputReader.Read(path);
                SectionMerger.Append(state, input);
                SymbolResolver.Append(state, input);
                RelocationMerger.Append(state, input);
                BtfMerger.Append(state, input);
                BtfExtMerger.Append(state, input);
            }
            catch (Exception e) when (IsCorruptionSymptom(e))
            {
                // A consistency check we lack: still a typed error naming the input, never a crash.
                throw BpfLinkException.Warn($"failed to parse ELF file '{path}': inconsistent object ({e.Message})", BpfLoader.Diagnostics.Errno.EINVAL, path);
            }
        }
        try
        {
            return LinkFinalizer.Finish(state);
        }
        catch (Exception e) when (IsCorruptionSymptom(e))
        {
            throw BpfLinkException.Warn($"failed to finalize ELF file: {e.Message}", BpfLoader.Diagnostics.Errno.EINVAL, null);
        }
    }

    private static bool IsCorruptionSymptom(Exception e)
        => e is ArgumentException or IndexOutOfRangeException or InvalidOperationException or OverflowException or KeyNotFoundException;

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
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            int errno = e is UnauthorizedAccessException ? BpfLoader.Diagnostics.Errno.EACCES
                : e is DirectoryNotFoundException ? BpfLoader.Diagnostics.Errno.ENOENT : BpfLoader.Diagnostics.Errno.EIO;
            throw BpfLinkException.Warn($"failed to create '{output}': {-errno}", errno, null);
        }
        finally
        {
            if (File.Exists(tmp))
                File.Delete(tmp);
        }
    }
}
