using BpfLoader.Diagnostics;
using BpfLoader.Linker;

namespace BpfLoader.Cli;

/// <summary>
/// <c>gen object OUTPUT INPUT...</c>: statically links BPF objects like bpftool's <c>gen object</c> (at least two
/// arguments; the output is only created when the link succeeds).
/// </summary>
internal static class GenObjectCommand
{
    public static int Run(string[] rest, TextWriter error)
    {
        if (rest.Length < 2)
            throw new UsageException($"'object' needs at least 2 arguments, {rest.Length} found");
        string output = rest[0];
        var inputs = rest[1..];
        try
        {
            BpfLinker.LinkFiles(output, inputs);
        }
        catch (BpfLinkException e) when (e.File is not null)
        {
            int errno = -e.Error;
            error.WriteLine($"Error: failed to link '{e.File}': {StrError(errno)} ({errno})");
            return CommandLine.Failed;
        }
        catch (BpfLinkException e)
        {
            int errno = -e.Error;
            error.WriteLine($"Error: failed to finalize ELF file: {StrError(errno)} ({errno})");
            return CommandLine.Failed;
        }
        return CommandLine.Ok;
    }

    // bpftool prints strerror(errno); the few codes the linker returns.
    private static string StrError(int errno) => errno switch
    {
        Errno.EINVAL => "Invalid argument",
        Errno.ENOENT => "No such file or directory",
        Errno.EOPNOTSUPP => "Operation not supported",
        Errno.EACCES => "Permission denied",
        Errno.ELOOP => "Too many levels of symbolic links",
        Errno.EIO => "Input/output error",
        _ => Errno.Name(errno),
    };
}
