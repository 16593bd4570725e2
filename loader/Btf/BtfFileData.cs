using System.Buffers;
using System.Runtime.InteropServices;
using BpfLoader.Diagnostics;
using BpfLoader.Interop;

namespace BpfLoader.Btf;

/// <summary>
/// A whole BTF file held outside the managed heap: a private read-only mmap when the file supports it
/// (regular files, and /sys/kernel/btf/* since Linux 6.16), otherwise a native buffer filled by read(2).
/// Keeping the 5-6 MB of vmlinux BTF off the GC heap is what keeps parsing allocation-light.
/// The finalizer releases the memory once the owning <see cref="Btf"/> is unreachable.
/// </summary>
internal sealed unsafe class BtfFileData : MemoryManager<byte>
{
    private byte* _ptr;
    private readonly int _length;
    private readonly bool _mapped;

    private BtfFileData(byte* ptr, int length, bool mapped)
    {
        _ptr = ptr;
        _length = length;
        _mapped = mapped;
    }

    // CA2015 warns that a span may outlive the memory. The owning Btf references this object for its whole
    // life, its readers keep the Btf alive while reading, and spans it hands out are documented as valid only
    // while the Btf is reachable; without the finalizer every LoadFile of a non-mappable file would leak.
#pragma warning disable CA2015
    ~BtfFileData() => Dispose(false);
#pragma warning restore CA2015

    public int Length => _length;

    /// <summary>
    /// Maps or reads <paramref name="path"/>; I/O failures become <see cref="BpfException"/> with the errno
    /// (a directory reads as -EIO, as libbpf's <c>btf__parse</c> reports it). <paramref name="allowMap"/>
    /// false always copies: a mapped file that is truncated later faults (SIGBUS) on access, so inputs
    /// that are read long after they are opened (objects, read again at load) must not stay mapped.
    /// </summary>
    public static BtfFileData Load(string path, bool allowMap = true)
    {
        if (Directory.Exists(path))
            throw new BpfException($"failed to read BTF '{path}': {path} is a directory", Errno.EIO);
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read);
            long size = RandomAccess.GetLength(handle);
            if (size > int.MaxValue)
                throw new BpfFormatException($"BTF '{path}': file is too large ({size} bytes)", Errno.E2BIG);
            if (size > 0 && allowMap)
            {
                nint addr = Native.Mmap(0, (nuint)size, Native.ProtRead, Native.MapPrivate, (int)handle.DangerousGetHandle(), 0);
                if (addr != -1)
                    return new BtfFileData((byte*)addr, (int)size, mapped: true);
            }
            return ReadAll(handle, size);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new BpfException($"failed to open BTF '{path}': {Errno.Str(Errno.ENOENT)}", Errno.ENOENT, e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new BpfException($"failed to open BTF '{path}': {Errno.Str(Errno.EACCES)}", Errno.EACCES, e);
        }
        catch (IOException e)
        {
            throw new BpfException($"failed to read BTF '{path}': {e.Message}", Errno.EIO, e);
        }
    }

    // Files whose size stat() does not report (or that refuse mmap) are read in chunks into native memory.
    private static BtfFileData ReadAll(Microsoft.Win32.SafeHandles.SafeFileHandle handle, long sizeHint)
    {
        nuint capacity = (nuint)Math.Max(sizeHint > 0 ? sizeHint : 0, 64 * 1024);
        byte* buf = (byte*)NativeMemory.Alloc(capacity);
        long total = 0;
        try
        {
            while (true)
            {
                if ((nuint)total == capacity)
                {
                    if (capacity >= int.MaxValue)
                        throw new BpfFormatException("BTF file is too large", Errno.E2BIG);
                    capacity = (nuint)Math.Min((long)capacity * 2, int.MaxValue);
                    buf = (byte*)NativeMemory.Realloc(buf, capacity);
                }
                int chunk = (int)Math.Min((long)(capacity - (nuint)total), int.MaxValue);
                int n = RandomAccess.Read(handle, new Span<byte>(buf + total, chunk), total);
                if (n == 0)
                    break;
                total += n;
            }
            return new BtfFileData(buf, (int)total, mapped: false);
        }
        catch
        {
            NativeMemory.Free(buf);
            throw;
        }
    }

    public override Span<byte> GetSpan() => new(_ptr, _length);

    public override MemoryHandle Pin(int elementIndex = 0) => new(_ptr + elementIndex);

    public override void Unpin()
    {
    }

    protected override void Dispose(bool disposing)
    {
        byte* p = _ptr;
        if (p == null)
            return;
        _ptr = null;
        if (_mapped)
            Native.Munmap((nint)p, (nuint)_length);
        else
            NativeMemory.Free(p);
        if (disposing)
            GC.SuppressFinalize(this);
    }
}
