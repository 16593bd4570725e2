using System.Buffers.Binary;
using BpfLoader.Btf;
using BpfLoader.Diagnostics;
using BpfLoader.Kernel;

namespace BpfTests.ArgCtx;

using Btf = BpfLoader.Btf.Btf;

/// <summary>
/// What the kernel kept of a loaded program's BTF: its func_info records (bpf_prog_get_info_by_fd with room
/// for them) and the program's BTF object read back by id (libbpf's btf__load_from_kernel_by_id).
/// </summary>
internal static class KernelProgramBtf
{
    // struct bpf_prog_info offsets (UAPI): btf_id, func_info_rec_size, func_info, nr_func_info.
    private const int InfoLen = 152, BtfIdOff = 128, FuncInfoRecSizeOff = 132, FuncInfoOff = 136, NrFuncInfoOff = 144;
    // struct bpf_btf_info: btf, btf_size.
    private const int BtfInfoLen = 32;

    /// <summary>Reads up to <paramref name="capacity"/> func_info records; returns 0 or -errno, the kernel's count and the BTF id.</summary>
    public static unsafe int ReadFuncInfo(int progFd, int capacity, out uint count, out uint btfId, out FuncInfo[] records)
    {
        var raw = new byte[capacity * BtfExt.FuncInfoSize];
        var info = new byte[InfoLen];
        count = btfId = 0;
        records = [];
        fixed (byte* p = raw)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(info.AsSpan(FuncInfoRecSizeOff), BtfExt.FuncInfoSize);
            BinaryPrimitives.WriteUInt64LittleEndian(info.AsSpan(FuncInfoOff), (ulong)p);
            BinaryPrimitives.WriteUInt32LittleEndian(info.AsSpan(NrFuncInfoOff), (uint)capacity);
            int r = BpfSyscall.TryGetInfoByFd(progFd, info);
            if (r < 0)
                return r;
        }
        count = BinaryPrimitives.ReadUInt32LittleEndian(info.AsSpan(NrFuncInfoOff));
        btfId = BinaryPrimitives.ReadUInt32LittleEndian(info.AsSpan(BtfIdOff));
        records = new FuncInfo[Math.Min(count, (uint)capacity)];
        for (int i = 0; i < records.Length; i++)
        {
            var r = raw.AsSpan(i * BtfExt.FuncInfoSize);
            records[i] = new FuncInfo(BinaryPrimitives.ReadUInt32LittleEndian(r), BinaryPrimitives.ReadInt32LittleEndian(r[4..]));
        }
        return 0;
    }

    /// <summary>The BTF object <paramref name="id"/> as the kernel holds it, or null (errno in the exception-free path).</summary>
    public static unsafe Btf? LoadById(uint id)
    {
        int fd = BpfSyscall.TryGetFdById(BpfCommand.BtfGetFdById, id);
        if (fd < 0)
            return null;
        using var handle = new FileDescriptor(fd);
        var info = new byte[BtfInfoLen];
        if (BpfSyscall.TryGetInfoByFd(fd, info) < 0)
            return null;
        uint size = BinaryPrimitives.ReadUInt32LittleEndian(info.AsSpan(8));
        var data = new byte[size];
        fixed (byte* p = data)
        {
            Array.Clear(info);
            BinaryPrimitives.WriteUInt64LittleEndian(info, (ulong)p);
            BinaryPrimitives.WriteUInt32LittleEndian(info.AsSpan(8), size);
            if (BpfSyscall.TryGetInfoByFd(fd, info) < 0)
                return null;
        }
        try
        {
            return Btf.Parse(data, null, $"kernel BTF #{id}");
        }
        catch (BpfException)
        {
            return null;
        }
    }
}
