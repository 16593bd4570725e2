namespace BpfLoader.Diagnostics;

/// <summary>
/// Every failure the loader reports: the message names the object, section, map or program involved,
/// and <see cref="Error"/> carries the negative errno libbpf would return (e.g. -22 for -EINVAL).
/// </summary>
public class BpfException : Exception
{
    /// <summary>An error with libbpf's <paramref name="message"/> and the errno (positive or negative; stored negative), caused by <paramref name="inner"/>.</summary>
    public BpfException(string message, int error, Exception? inner = null) : base(message, inner)
        => Error = -Math.Abs(error);

    /// <summary>Negative errno, as libbpf returns it.</summary>
    public int Error { get; }

    /// <summary>Symbolic errno name without sign, e.g. <c>EINVAL</c>.</summary>
    public string ErrnoName => Errno.Name(Error);
}

/// <summary>A bpf(2) or other system call failed; <see cref="BpfException.Error"/> is -errno.</summary>
public sealed class BpfSyscallException(string operation, int errno)
    : BpfException($"{operation} failed: {Errno.Str(errno)}", errno)
{
    /// <summary>The system call or operation that failed.</summary>
    public string Operation { get; } = operation;
}

/// <summary>An ELF or BTF input is malformed; the message names the object and what is wrong.</summary>
public sealed class BpfFormatException(string message, int error = Errno.EINVAL, Exception? inner = null)
    : BpfException(message, error, inner);
