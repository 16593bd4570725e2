using System.Runtime.InteropServices;
using System.Text;
using BpfLoader.Diagnostics;
using BpfLoader.Interop;

namespace BpfLoader.Kernel;

using Btf = BpfLoader.Btf.Btf;

/// <summary>A kernel module's BTF: its name, an fd the kernel can take as attach_btf_obj_fd, and its types (split on vmlinux).</summary>
internal sealed record ModuleBtf(string Name, uint Id, FileDescriptor Fd, Btf Btf);

/// <summary>
/// The running kernel's BTF objects: vmlinux (shared, <see cref="Btf.KernelVmlinux"/>) and every module's,
/// enumerated once per process through BPF_BTF_GET_NEXT_ID and parsed lazily from /sys/kernel/btf.
/// </summary>
internal static class KernelBtfs
{
    private static readonly Lock Gate = new();
    private static IReadOnlyList<ModuleBtf> _modules = [];
    private static string? _generation;

    /// <summary>
    /// The loaded modules' BTFs. Modules come and go (tests load and unload bpf_testmod), so the list is
    /// rebuilt whenever the set of /sys/kernel/btf entries changed; the old fds are closed then.
    /// </summary>
    public static IReadOnlyList<ModuleBtf> Modules()
    {
        string generation = Generation();
        lock (Gate)
        {
            if (generation == _generation)
                return _modules;
            foreach (var old in _modules)
            {
                ProcessWideFds.Unregister(old.Fd.Value);
                old.Fd.Dispose();
            }
            _modules = LoadModules();
            _generation = generation;
            return _modules;
        }
    }

    /// <summary>Names and inode numbers of /sys/kernel/btf entries: a module reload makes a new kernfs node.</summary>
    private static string Generation()
    {
        try
        {
            return string.Join(",", new DirectoryInfo("/sys/kernel/btf").EnumerateFiles()
                .Select(f => $"{f.Name}:{Native.InodeOf(f.FullName)}").Order(StringComparer.Ordinal));
        }
        catch (IOException)
        {
            return "";
        }
    }

    /// <summary>The BTF of one module, or null when the module is not loaded or has no BTF.</summary>
    public static ModuleBtf? Module(string name) => Modules().FirstOrDefault(m => m.Name == name);

    private static List<ModuleBtf> LoadModules()
    {
        var result = new List<ModuleBtf>();
        uint id = 0;
        while (true)
        {
            int r = BpfSyscall.TryGetNextId(BpfCommand.BtfGetNextId, id, out var next);
            if (r == -Errno.ENOENT)
                break;
            if (r < 0)
            {
                LibbpfLog.Warn($"failed to iterate BTF objects: {Errno.Str(r)}");
                break;
            }
            id = next;
            int fd = BpfSyscall.TryGetFdById(BpfCommand.BtfGetFdById, id);
            if (fd < 0)
            {
                if (fd != -Errno.ENOENT)
                    LibbpfLog.Warn($"failed to get BTF object #{id} FD: {Errno.Str(fd)}");
                continue;
            }
            var handle = new FileDescriptor(fd);
            var (name, isKernel) = ReadInfo(fd, id);
            if (!isKernel || name is null or "vmlinux" || !File.Exists($"/sys/kernel/btf/{name}"))
            {
                handle.Dispose();
                continue;
            }
            try
            {
                var btf = Btf.LoadFile($"/sys/kernel/btf/{name}", Btf.KernelVmlinux);
                ProcessWideFds.Register(fd, $"module BTF '{name}'");
                result.Add(new ModuleBtf(name, id, handle, btf));
            }
            catch (BpfException e)
            {
                LibbpfLog.Warn($"failed to load module [{name}]'s BTF object #{id}: {Errno.Str(e.Error)}");
                handle.Dispose();
            }
        }
        return result;
    }

    /// <summary>Reads <c>struct bpf_btf_info</c>: name and kernel_btf flag.</summary>
    private static unsafe (string? Name, bool IsKernel) ReadInfo(int fd, uint id)
    {
        var name = new byte[64];
        Span<byte> info = stackalloc byte[32];
        fixed (byte* n = name)
        {
            info.Clear();
            MemoryMarshal.Write(info[16..], (ulong)n);            // name
            MemoryMarshal.Write(info[24..], (uint)name.Length);   // name_len
            int r = BpfSyscall.TryGetInfoByFd(fd, info);
            if (r < 0)
            {
                LibbpfLog.Warn($"failed to get BTF object #{id} info: {Errno.Str(r)}");
                return (null, false);
            }
        }
        bool kernel = MemoryMarshal.Read<uint>(info[28..]) != 0;
        int end = Array.IndexOf(name, (byte)0);
        return (Encoding.UTF8.GetString(name, 0, end < 0 ? name.Length : end), kernel);
    }
}
