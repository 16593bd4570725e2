using BpfLoader.SkeletonGen;

namespace BpfLoader.Cli;

/// <summary>
/// <c>gen skeleton FILE [name NAME]</c> and <c>gen subskeleton FILE [name NAME]</c>: print the C# source the
/// build's source generator emits for the object (for users outside MSBuild). Argument errors use bpftool's texts.
/// </summary>
internal static class GenCommand
{
    public static int Run(SkeletonKind kind, string[] rest, TextWriter output)
    {
        // bpftool's -L (a light skeleton: a loader program instead of libbpf) has no C# counterpart.
        if (rest.Contains("-L"))
            throw new UsageException(kind == SkeletonKind.Subskeleton
                ? "cannot use loader for subskeletons"
                : "light skeletons (-L) are not supported: a C# skeleton opens its object with BpfLoader");
        if (rest.Length == 0)
            throw new UsageException("expected FILE");
        string file = rest[0];
        string? name = null;
        string ns = "BpfSkeletons";
        for (int i = 1; i < rest.Length; i++)
        {
            if (rest[i] == "name" && i + 1 < rest.Length)
            {
                if (name is not null)
                    throw new UsageException("object name already specified");
                name = rest[++i];
            }
            else if (rest[i] == "namespace" && i + 1 < rest.Length)
            {
                ns = rest[++i];
            }
            else
            {
                throw new UsageException(rest[i] is "name" or "namespace" ? $"expected a value after '{rest[i]}'" : $"unknown arg {rest[i]}");
            }
        }
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"failed to open() {file}: {e.Message}", e);
        }
        try
        {
            output.Write(SkeletonEmitter.Generate(new SkeletonRequest(bytes, file, kind, name, ns)));
        }
        catch (SkeletonGenException e)
        {
            throw new IOException(e.Message, e);
        }
        return CommandLine.Ok;
    }
}
