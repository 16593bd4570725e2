using System.Runtime.InteropServices;
using System.Text;
using BpfLoader.Diagnostics;
using BpfLoader.Interop;
using BpfLoader.Kernel;

namespace BpfLoader.Programs;

/// <summary>What BPF_PROG_LOAD needs beyond the program itself.</summary>
internal sealed class ProgramLoadInput
{
    public required Instruction[] Instructions { get; init; }
    public required string License { get; init; }
    public uint KernVersion { get; init; }
    public int BtfFd { get; init; } = -1;
    public byte[]? FuncInfo { get; init; }
    public int FuncInfoCount { get; init; }
    public uint FuncInfoRecordSize { get; init; }
    public byte[]? LineInfo { get; init; }
    public int LineInfoCount { get; init; }
    public uint LineInfoRecordSize { get; init; }
    public int[]? FdArray { get; init; }
    /// <summary>Rewrites the verifier log of a failed load (libbpf's fixup_verifier_log) before it is printed.</summary>
    public Func<string, string>? FixupLog { get; init; }
}

/// <summary>
/// BPF_PROG_LOAD with libbpf's log policy: no log on the first attempt unless a level was asked for; after a
/// failure one retry at level 1 into an own buffer (16 MiB, doubled on ENOSPC), then the libbpf WARN lines.
/// Each attempt is itself repeated while the kernel answers EAGAIN (libbpf's sys_bpf_prog_load, 5 attempts).
/// </summary>
internal static unsafe class ProgramLoad
{
    internal const uint DefaultLogSize = uint.MaxValue >> 8; // libbpf's BPF_LOG_BUF_SIZE, 16 MiB

    public static FileDescriptor Load(BpfProgram prog, ProgramLoadInput input)
    {
        uint logLevel = prog.LogLevel;
        uint logSize = logLevel != 0 ? prog.InitialLogSize : 0;
        var license = Encoding.UTF8.GetBytes(input.License + "\0");
        while (true)
        {
            var (result, log) = TryLoad(prog, input, license, logLevel, logSize);
            if (result >= 0)
            {
                prog.VerifierLog = log;
                if (logLevel != 0 && !string.IsNullOrEmpty(log))
                    LibbpfLog.Debug($"prog '{prog.Name}': -- BEGIN PROG LOAD LOG --\n{log}-- END PROG LOAD LOG --");
                return new FileDescriptor((int)result);
            }
            if (logLevel == 0)
            {
                logLevel = 1;
                logSize = prog.InitialLogSize;
                continue;
            }
            if (result == -Errno.ENOSPC && logSize <= uint.MaxValue / 2)
            {
                logSize *= 2;
                continue;
            }
            if (result == LogBufferUnavailable)
                throw new BpfProgramLoadException(prog.Name, Errno.ENOMEM, null);
            if (log is not null && input.FixupLog is not null)
                log = input.FixupLog(log);
            prog.VerifierLog = log;
            int err = (int)result;
            LibbpfLog.Warn($"prog '{prog.Name}': BPF program load failed: {Errno.Str(err)}");
            PermissionHint(err);
            if (!string.IsNullOrEmpty(log))
                LibbpfLog.Warn($"prog '{prog.Name}': -- BEGIN PROG LOAD LOG --\n{log}-- END PROG LOAD LOG --");
            throw new BpfProgramLoadException(prog.Name, -err, log);
        }
    }

    private static (long Result, string? Log) TryLoad(BpfProgram prog, ProgramLoadInput input, byte[] license, uint logLevel, uint logSize)
    {
        // The log buffer is anonymous memory mapped without a swap reservation: libbpf doubles it up to UINT_MAX / 2
        // on ENOSPC, and a 2 GiB calloc is refused on small machines (the 2-4 GiB guests) although the kernel only
        // ever touches the pages it writes. Pages come zeroed, as libbpf's buffer is.
        byte* log = null;
        if (logSize != 0)
        {
            nint address = Native.Mmap(0, logSize, Native.ProtRead | Native.ProtWrite, Native.MapPrivate | Native.MapAnonymous | Native.MapNoReserve, -1, 0);
            if (address == -1)
                return (LogBufferUnavailable, null);   // libbpf's failed realloc: -ENOMEM, no further line
            log = (byte*)address;
        }
        try
        {
            fixed (Instruction* insns = input.Instructions)
            fixed (byte* lic = license)
            fixed (byte* funcInfo = input.FuncInfo)
            fixed (byte* lineInfo = input.LineInfo)
            fixed (int* fdArray = input.FdArray)
            {
                var attr = new ProgLoadAttr
                {
                    ProgType = (uint)prog.Type,
                    InsnCnt = (uint)input.Instructions.Length,
                    Insns = (ulong)insns,
                    License = (ulong)lic,
                    LogLevel = logLevel,
                    LogSize = logSize,
                    LogBuf = (ulong)log,
                    KernVersion = input.KernVersion,
                    ProgFlags = prog.Flags,
                    ExpectedAttachType = (uint)prog.ExpectedAttachType,
                    AttachBtfId = (uint)prog.AttachBtfId,
                    AttachBtfObjFd = prog.AttachProgFd >= 0 ? (uint)prog.AttachProgFd : prog.AttachBtfObjFd >= 0 ? (uint)prog.AttachBtfObjFd : 0,
                    FdArray = (ulong)fdArray,
                };
                BpfSyscall.CopyName(attr.ProgName, prog.Name);
                if (input.BtfFd >= 0)
                {
                    attr.ProgBtfFd = (uint)input.BtfFd;
                    if (input.FuncInfoCount > 0)
                    {
                        attr.FuncInfo = (ulong)funcInfo;
                        attr.FuncInfoCnt = (uint)input.FuncInfoCount;
                        attr.FuncInfoRecSize = input.FuncInfoRecordSize;
                    }
                    if (input.LineInfoCount > 0)
                    {
                        attr.LineInfo = (ulong)lineInfo;
                        attr.LineInfoCnt = (uint)input.LineInfoCount;
                        attr.LineInfoRecSize = input.LineInfoRecordSize;
                    }
                }
                long r = LoadRetryingOnEagain(ref attr);
                string? text = log is null ? null : Marshal.PtrToStringUTF8((nint)log);
                return (r, text);
            }
        }
        finally
        {
            if (log is not null)
                Native.Munmap((nint)log, logSize);
        }
    }

    // TryLoad's result when the log buffer could not be allocated (not an errno the kernel returns).
    private const long LogBufferUnavailable = long.MinValue;

    /// <summary>libbpf's PROG_LOAD_ATTEMPTS: BPF_PROG_LOAD is tried up to five times while the kernel answers EAGAIN.</summary>
    internal const int LoadAttempts = 5;

    private static long LoadRetryingOnEagain(ref ProgLoadAttr attr)
    {
        long r;
        int attempts = LoadAttempts;
        do
            r = BpfSyscall.Call(BpfCommand.ProgLoad, ref attr);
        while (r == -Errno.EAGAIN && --attempts > 0);
        return r;
    }

    /// <summary>libbpf's hint for -EPERM as root: the memlock rlimit may be too low (kernels before 5.11 charge it).</summary>
    private static void PermissionHint(int err)
    {
        if (err != -Errno.EPERM || Environment.UserName != "root")
            return;
        try
        {
            var line = File.ReadLines("/proc/self/limits").FirstOrDefault(l => l.StartsWith("Max locked memory", StringComparison.Ordinal));
            var soft = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(3);
            if (soft is null || soft == "unlimited" || !ulong.TryParse(soft, out var bytes))
                return;
            string value = bytes < 1024 ? $"{bytes} bytes" : bytes < 1024 * 1024 ? $"{bytes / 1024.0:F1} KiB" : $"{bytes / 1048576.0:F1} MiB";
            LibbpfLog.Warn($"permission error while running as root; try raising 'ulimit -l'? current value: {value}");
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>The kernel refused a program; <see cref="VerifierLog"/> holds the verifier's explanation.</summary>
public sealed class BpfProgramLoadException(string programName, int errno, string? verifierLog)
    : BpfException($"prog '{programName}': BPF program load failed: {Errno.Str(errno)}", errno)
{
    /// <summary>The program the kernel refused.</summary>
    public string ProgramName { get; } = programName;
    /// <summary>The verifier's log of the failed load.</summary>
    public string? VerifierLog { get; } = verifierLog;
}
