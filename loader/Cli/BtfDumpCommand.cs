using BpfLoader.Btf;
using BpfLoader.BtfDump;
using BpfLoader.Diagnostics;
using BpfLoader.Elf;

namespace BpfLoader.Cli;

/// <summary>
/// <c>btf dump file FILE [format raw|c]</c>: FILE is raw BTF (/sys/kernel/btf/vmlinux; a module's file there is
/// read as split BTF on vmlinux, as bpftool does) or an ELF object, whose .BTF section is dumped.
/// </summary>
internal static class BtfDumpCommand
{
    public static int Run(string[] rest, TextWriter output)
    {
        string path = CommandLine.FileArgument(rest, "file");
        string format = "raw";
        if (rest.Length > 2)
        {
            CommandLine.Match(rest[2], "format");
            format = CommandLine.Match(rest.ElementAtOrDefault(3) ?? throw new UsageException("'format' needs 'raw' or 'c'"), "raw", "c");
            if (rest.Length > 4)
                throw new UsageException($"unexpected '{rest[4]}'");
        }
        var btf = Load(path);
        if (format == "raw")
            btf.DumpRaw(output);
        else
            BtfCDumper.Dump(btf, output);
        return CommandLine.Ok;
    }

    internal static BpfLoader.Btf.Btf Load(string path)
    {
        // bpftool reads a directory as raw BTF first, whose read fails: -EIO, as BtfFileData reports it.
        if (Directory.Exists(path))
            throw new BpfException($"failed to load BTF from {path}: is a directory", Errno.EIO);
        if (!File.Exists(path))
            throw new BpfException($"failed to load BTF from {path}: no such file", Errno.ENOENT);
        Span<byte> magic = stackalloc byte[4];
        using (var f = File.OpenRead(path))
            f.ReadExactly(magic[..Math.Min(4, (int)f.Length)]);
        if (magic.SequenceEqual("\x7f"u8.ToArray().Concat("ELF"u8.ToArray()).ToArray()))
        {
            var elf = ElfFile.Open(path);
            var sec = elf.FindSection(".BTF") ?? throw new BpfException($"failed to load BTF from {path}: no .BTF section", Errno.ENOENT);
            return BpfLoader.Btf.Btf.Parse(sec.Data.ToArray(), null, path);
        }
        string full = Path.GetFullPath(path);
        bool isModule = full.StartsWith("/sys/kernel/btf/", StringComparison.Ordinal) && full != BpfLoader.Btf.Btf.VmlinuxPath;
        return BpfLoader.Btf.Btf.LoadFile(path, isModule ? BpfLoader.Btf.Btf.KernelVmlinux : null);
    }
}
