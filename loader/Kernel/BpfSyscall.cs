using System.Runtime.CompilerServices;
using System.Text;
using BpfLoader.Diagnostics;
using BpfLoader.Interop;

namespace BpfLoader.Kernel;

/// <summary>
/// Typed bpf(2) commands. Each method fills the command's attr struct, calls the kernel and either returns
/// the result (a new owned fd, a count) or throws <see cref="BpfSyscallException"/> carrying -errno.
/// The <c>Try*</c> forms return the negative errno instead, for callers that retry or probe.
/// </summary>
internal static unsafe class BpfSyscall
{
    internal static long Call<T>(BpfCommand cmd, ref T attr) where T : unmanaged
    {
        if (BpfFaultInjection.Armed)
            return CallUnderPlan(cmd, ref attr);
        fixed (T* p = &attr)
        {
            long r = Native.Syscall(Native.SysBpf, (long)cmd, (long)p, sizeof(T));
            return r < 0 ? -Native.LastErrno : r;
        }
    }

    // The fault-injection path, kept out of Call so the common path stays small.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static long CallUnderPlan<T>(BpfCommand cmd, ref T attr) where T : unmanaged
    {
        if (BpfFaultInjection.BeforeCall((int)cmd) is { } injected)
            return injected;
        long r;
        fixed (T* p = &attr)
        {
            r = Native.Syscall(Native.SysBpf, (long)cmd, (long)p, sizeof(T));
            r = r < 0 ? -Native.LastErrno : r;
        }
        BpfFaultInjection.AfterCall((int)cmd, r);
        return r;
    }

    internal static FileDescriptor FdOrThrow(long r, string operation)
        => r >= 0 ? new FileDescriptor((int)r) : throw new BpfSyscallException(operation, (int)-r);

    internal static void OkOrThrow(long r, string operation)
    {
        if (r < 0)
            throw new BpfSyscallException(operation, (int)-r);
    }

    internal static void CopyName(byte* dest, string? name, int capacity = 16)
    {
        if (string.IsNullOrEmpty(name))
            return;
        var bytes = Encoding.UTF8.GetBytes(name);
        int n = Math.Min(bytes.Length, capacity - 1);
        for (int i = 0; i < n; i++)
            dest[i] = bytes[i];
    }

    // ---- maps ----------------------------------------------------------------------------------

    public static int TryMapLookup(int mapFd, ReadOnlySpan<byte> key, Span<byte> value, ulong flags = 0)
    {
        fixed (byte* k = key)
        fixed (byte* v = value)
        {
            var a = new MapElemAttr { MapFd = (uint)mapFd, Key = (ulong)k, ValueOrNextKey = (ulong)v, Flags = flags };
            return (int)Call(BpfCommand.MapLookupElem, ref a);
        }
    }

    public static int TryMapUpdate(int mapFd, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, ulong flags = 0)
    {
        fixed (byte* k = key)
        fixed (byte* v = value)
        {
            var a = new MapElemAttr { MapFd = (uint)mapFd, Key = (ulong)k, ValueOrNextKey = (ulong)v, Flags = flags };
            return (int)Call(BpfCommand.MapUpdateElem, ref a);
        }
    }

    public static int TryMapDelete(int mapFd, ReadOnlySpan<byte> key)
    {
        fixed (byte* k = key)
        {
            var a = new MapElemAttr { MapFd = (uint)mapFd, Key = (ulong)k };
            return (int)Call(BpfCommand.MapDeleteElem, ref a);
        }
    }

    /// <summary>Next key after <paramref name="key"/> (or the first key when it is empty); -ENOENT at the end.</summary>
    public static int TryMapGetNextKey(int mapFd, ReadOnlySpan<byte> key, Span<byte> nextKey)
    {
        fixed (byte* k = key)
        fixed (byte* n = nextKey)
        {
            var a = new MapElemAttr { MapFd = (uint)mapFd, Key = key.IsEmpty ? 0 : (ulong)k, ValueOrNextKey = (ulong)n };
            return (int)Call(BpfCommand.MapGetNextKey, ref a);
        }
    }

    public static int TryMapLookupAndDelete(int mapFd, ReadOnlySpan<byte> key, Span<byte> value)
    {
        fixed (byte* k = key)
        fixed (byte* v = value)
        {
            var a = new MapElemAttr { MapFd = (uint)mapFd, Key = key.IsEmpty ? 0 : (ulong)k, ValueOrNextKey = (ulong)v };
            return (int)Call(BpfCommand.MapLookupAndDeleteElem, ref a);
        }
    }

    public static int TryMapFreeze(int mapFd)
    {
        var a = new FdOnlyAttr { Fd = (uint)mapFd };
        return (int)Call(BpfCommand.MapFreeze, ref a);
    }

    public static int TryProgBindMap(int progFd, int mapFd)
    {
        var a = new ProgBindMapAttr { ProgFd = (uint)progFd, MapFd = (uint)mapFd };
        return (int)Call(BpfCommand.ProgBindMap, ref a);
    }

    // ---- objects by id, info, pinning -------------------------------------------------------------

    public static int TryGetNextId(BpfCommand cmd, uint start, out uint next)
    {
        var a = new GetIdAttr { StartOrObjId = start };
        int r = (int)Call(cmd, ref a);
        next = a.NextId;
        return r;
    }

    public static FileDescriptor GetFdById(BpfCommand cmd, uint id)
    {
        var a = new GetIdAttr { StartOrObjId = id };
        return FdOrThrow(Call(cmd, ref a), $"{cmd} {id}");
    }

    public static int TryGetFdById(BpfCommand cmd, uint id)
    {
        var a = new GetIdAttr { StartOrObjId = id };
        return (int)Call(cmd, ref a);
    }

    /// <summary>BPF_OBJ_GET_INFO_BY_FD into <paramref name="info"/>; returns the length the kernel filled.</summary>
    public static int TryGetInfoByFd(int fd, Span<byte> info)
    {
        fixed (byte* p = info)
        {
            var a = new InfoByFdAttr { BpfFd = (uint)fd, InfoLen = (uint)info.Length, Info = (ulong)p };
            long r = Call(BpfCommand.ObjGetInfoByFd, ref a);
            return r < 0 ? (int)r : (int)a.InfoLen;
        }
    }

    public static int TryPin(int fd, string path)
    {
        var bytes = Encoding.UTF8.GetBytes(path + "\0");
        fixed (byte* p = bytes)
        {
            var a = new ObjPinAttr { Pathname = (ulong)p, BpfFd = (uint)fd };
            return (int)Call(BpfCommand.ObjPin, ref a);
        }
    }

    public static int TryObjGet(string path, uint fileFlags = 0)
    {
        var bytes = Encoding.UTF8.GetBytes(path + "\0");
        fixed (byte* p = bytes)
        {
            var a = new ObjPinAttr { Pathname = (ulong)p, FileFlags = fileFlags };
            return (int)Call(BpfCommand.ObjGet, ref a);
        }
    }

    // ---- BTF -------------------------------------------------------------------------------------

    /// <summary>BPF_BTF_LOAD; on failure <paramref name="logBuffer"/> receives the kernel's BTF log when a buffer was given.</summary>
    public static int TryBtfLoad(ReadOnlySpan<byte> btf, Span<byte> logBuffer, uint logLevel)
    {
        fixed (byte* b = btf)
        fixed (byte* l = logBuffer)
        {
            var a = new BtfLoadAttr
            {
                Btf = (ulong)b,
                BtfSize = (uint)btf.Length,
                BtfLogBuf = logBuffer.IsEmpty ? 0 : (ulong)l,
                BtfLogSize = (uint)logBuffer.Length,
                BtfLogLevel = logBuffer.IsEmpty ? 0 : logLevel,
            };
            return (int)Call(BpfCommand.BtfLoad, ref a);
        }
    }

    // ---- links and attach ---------------------------------------------------------------------------

    public static int TryRawTracepointOpen(string? name, int progFd)
    {
        var bytes = name is null ? null : Encoding.UTF8.GetBytes(name + "\0");
        fixed (byte* p = bytes)
        {
            var a = new RawTracepointOpenAttr { Name = (ulong)p, ProgFd = (uint)progFd };
            return (int)Call(BpfCommand.RawTracepointOpen, ref a);
        }
    }

    internal static int TryLinkCreate(ref LinkCreateAttr attr) => (int)Call(BpfCommand.LinkCreate, ref attr);

    public static int TryLinkUpdate(int linkFd, int newFd, int oldFd = 0, uint flags = 0)
    {
        var a = new LinkUpdateAttr { LinkFd = (uint)linkFd, NewProgOrMapFd = (uint)newFd, OldProgOrMapFd = (uint)oldFd, Flags = flags };
        return (int)Call(BpfCommand.LinkUpdate, ref a);
    }

    public static int TryLinkDetach(int linkFd)
    {
        var a = new FdOnlyAttr { Fd = (uint)linkFd };
        return (int)Call(BpfCommand.LinkDetach, ref a);
    }

    /// <summary>Runs a program once (or <paramref name="repeat"/> times) on the given packet/context.</summary>
    public static int TryProgTestRun(int progFd, ReadOnlySpan<byte> dataIn, Span<byte> dataOut, ReadOnlySpan<byte> ctxIn,
        uint repeat, out uint retval, out uint duration, out uint dataSizeOut)
    {
        fixed (byte* di = dataIn)
        fixed (byte* dout = dataOut)
        fixed (byte* ci = ctxIn)
        {
            var a = new ProgTestRunAttr
            {
                ProgFd = (uint)progFd,
                DataIn = dataIn.IsEmpty ? 0 : (ulong)di,
                DataSizeIn = (uint)dataIn.Length,
                DataOut = dataOut.IsEmpty ? 0 : (ulong)dout,
                DataSizeOut = (uint)dataOut.Length,
                CtxIn = ctxIn.IsEmpty ? 0 : (ulong)ci,
                CtxSizeIn = (uint)ctxIn.Length,
                Repeat = repeat,
            };
            int r = (int)Call(BpfCommand.ProgTestRun, ref a);
            retval = a.Retval;
            duration = a.Duration;
            dataSizeOut = a.DataSizeOut;
            return r;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static string Describe(int err) => Errno.Str(err);
}
