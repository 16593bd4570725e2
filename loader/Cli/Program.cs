namespace BpfLoader.Cli;

/// <summary>Entry point: <c>bpfloader OBJECT COMMAND ...</c>; exit code 0 on success, 1 on failure, 64 on usage errors.</summary>
public static class Program
{
    public static int Main(string[] args) => CommandLine.Run(args, Console.Out, Console.Error);
}
