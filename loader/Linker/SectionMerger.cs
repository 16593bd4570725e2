using BpfLoader.Diagnostics;

namespace BpfLoader.Linker;

/// <summary>
/// Step 2 of adding an input: append its code and data sections (then its ephemeral shells) to the output
/// sections of the same name, each chunk aligned to the largest alignment seen so far; license/version are kept
/// once and must be identical.
/// </summary>
internal static class SectionMerger
{
    public static void Append(LinkState state, LinkerInput input)
    {
        foreach (var src in input.Sections)
        {
            if (src.Skipped || !src.IsData)
                continue;
            var dst = state.FindSection(src.Name);
            if (dst is null)
            {
                dst = state.AddSection(src.Name);
                if (!src.Ephemeral)
                    state.MaterializeSection(dst, src);
            }
            else
            {
                if (!Compatible(dst, src))
                    throw BpfLinkException.Warn($"ELF sections {src.Name} are incompatible", Errno.EINVAL, input.Path);
                if (src.Name is "license" or "version")
                {
                    if (!src.Elf!.Data.Span.SequenceEqual(dst.Bytes) || (int)src.Elf.Size != dst.Size)
                        throw BpfLinkException.Warn($"non-identical contents of section '{src.Name}' are not supported", Errno.EINVAL, input.Path);
                    src.Skipped = true;
                    src.Destination = dst;
                    continue;
                }
            }
            src.Destination = dst;
            Extend(state, dst, src);
        }
    }

    /// <summary>Appends one input section's bytes; an ephemeral output section becomes real on the first real chunk.</summary>
    public static void Extend(LinkState state, OutputSection dst, InputSection src)
    {
        if (src.Ephemeral)
            return;
        if (dst.Ephemeral)
            state.MaterializeSection(dst, src);
        var elf = src.Elf!;
        src.DestinationOffset = dst.Append(elf.Data.Span, (int)elf.Size, elf.Alignment);
    }

    public static bool Compatible(OutputSection dst, InputSection src)
    {
        if (dst.Ephemeral || src.Ephemeral)
            return true;
        var elf = src.Elf!;
        string? what = dst.Type != elf.Type ? "types" : dst.Flags != elf.Flags ? "flags" : dst.EntrySize != elf.EntrySize ? "entsize" : null;
        if (what is null)
            return true;
        LibbpfLog.Warn($"sec {dst.Name} {what} mismatch");
        return false;
    }
}
