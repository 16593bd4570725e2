namespace BpfLoader.Diagnostics;

/// <summary>
/// Linux errno values the loader meets, and libbpf's rendering of them (libbpf 1.6+ <c>errstr</c>):
/// the sign is forced negative and known codes become symbolic names, e.g. <c>-EINVAL</c>.
/// </summary>
public static class Errno
{
    /// <summary>The Linux errno values (asm-generic/errno-base.h, errno.h) the loader reports; errors carry them negated.</summary>
    public const int EPERM = 1, ENOENT = 2, ESRCH = 3, EINTR = 4, EIO = 5, ENXIO = 6, E2BIG = 7, ENOEXEC = 8,
        EBADF = 9, ECHILD = 10, EAGAIN = 11, ENOMEM = 12, EACCES = 13, EFAULT = 14, ENOTBLK = 15, EBUSY = 16,
        EEXIST = 17, EXDEV = 18, ENODEV = 19, ENOTDIR = 20, EISDIR = 21, EINVAL = 22, ENFILE = 23, EMFILE = 24,
        ENOTTY = 25, ETXTBSY = 26, EFBIG = 27, ENOSPC = 28, ESPIPE = 29, EROFS = 30, EMLINK = 31, EPIPE = 32,
        EDOM = 33, ERANGE = 34, EDEADLK = 35, ENAMETOOLONG = 36, ELOOP = 40, ENODATA = 61, ENOLINK = 67,
        EPROTO = 71, EBADFD = 77, EOVERFLOW = 75, EILSEQ = 84, EMSGSIZE = 90, EPROTONOSUPPORT = 93,
        EOPNOTSUPP = 95, ENOTSUP = 95, EADDRINUSE = 98, EADDRNOTAVAIL = 99, EALREADY = 114, EINPROGRESS = 115,
        EUCLEAN = 117, ECANCELED = 125, ENOTSUPP = 524;

    /// <summary>libbpf's own <c>LIBBPF_ERRNO__LIBELF</c> ("Something wrong in libelf"), printed as -4000.</summary>
    public const int LibbpfLibelf = 4000;
    /// <summary>libbpf's <c>LIBBPF_ERRNO__FORMAT</c> ("Invalid ELF object format"), printed as -4001.</summary>
    public const int LibbpfFormat = 4001;
    /// <summary>libbpf's <c>LIBBPF_ERRNO__RELOC</c> ("Relocation failed"), printed as -4005.</summary>
    public const int LibbpfReloc = 4005;

    // libbpf's symbolic set (src/libbpf_utils.c); anything else prints as a signed decimal.
    private static readonly Dictionary<int, string> Names = new()
    {
        [E2BIG] = "E2BIG", [EACCES] = "EACCES", [EADDRINUSE] = "EADDRINUSE", [EADDRNOTAVAIL] = "EADDRNOTAVAIL",
        [EAGAIN] = "EAGAIN", [EALREADY] = "EALREADY", [EBADF] = "EBADF", [EBADFD] = "EBADFD", [EBUSY] = "EBUSY",
        [ECANCELED] = "ECANCELED", [ECHILD] = "ECHILD", [EDEADLK] = "EDEADLK", [EDOM] = "EDOM", [EEXIST] = "EEXIST",
        [EFAULT] = "EFAULT", [EFBIG] = "EFBIG", [EILSEQ] = "EILSEQ", [EINPROGRESS] = "EINPROGRESS", [EINTR] = "EINTR",
        [EINVAL] = "EINVAL", [EIO] = "EIO", [EISDIR] = "EISDIR", [ELOOP] = "ELOOP", [EMFILE] = "EMFILE",
        [EMLINK] = "EMLINK", [EMSGSIZE] = "EMSGSIZE", [ENAMETOOLONG] = "ENAMETOOLONG", [ENFILE] = "ENFILE",
        [ENODATA] = "ENODATA", [ENODEV] = "ENODEV", [ENOENT] = "ENOENT", [ENOEXEC] = "ENOEXEC", [ENOLINK] = "ENOLINK",
        [ENOMEM] = "ENOMEM", [ENOSPC] = "ENOSPC", [ENOTBLK] = "ENOTBLK", [ENOTDIR] = "ENOTDIR", [ENOTSUPP] = "ENOTSUPP",
        [ENOTTY] = "ENOTTY", [ENXIO] = "ENXIO", [EOPNOTSUPP] = "EOPNOTSUPP", [EOVERFLOW] = "EOVERFLOW", [EPERM] = "EPERM",
        [EPIPE] = "EPIPE", [EPROTO] = "EPROTO", [EPROTONOSUPPORT] = "EPROTONOSUPPORT", [ERANGE] = "ERANGE",
        [EROFS] = "EROFS", [ESPIPE] = "ESPIPE", [ESRCH] = "ESRCH", [ETXTBSY] = "ETXTBSY", [EUCLEAN] = "EUCLEAN",
        [EXDEV] = "EXDEV",
    };

    /// <summary>libbpf's <c>errstr(err)</c>: <c>-EINVAL</c> for 22 or -22, <c>-4001</c> for unknown codes.</summary>
    public static string Str(int err)
    {
        int code = Math.Abs(err);
        return Names.TryGetValue(code, out var name) ? "-" + name : (-code).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The bare symbolic name (<c>EINVAL</c>) or the number when unknown.</summary>
    public static string Name(int err)
    {
        int code = Math.Abs(err);
        return Names.TryGetValue(code, out var name) ? name : code.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
