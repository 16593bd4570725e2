using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using BpfLoader.Diagnostics;

namespace BpfLoader.Externs;

/// <summary>
/// Reading Kconfig (<c>CONFIG_X=y|n|m|number|"string"</c> lines) into the .kconfig map image with libbpf's
/// type rules and messages (<c>bpf_object__process_kconfig_line</c> and the <c>set_kcfg_value_*</c> helpers).
/// </summary>
internal static class KconfigValues
{
    public const int TriNo = 0, TriYes = 1, TriModule = 2;

    /// <summary>
    /// The running kernel's config text: <c>/boot/config-$(uname -r)</c>, else <c>/proc/config.gz</c>
    /// (either may be gzip-compressed, as libbpf's gzopen accepts both); null when neither exists.
    /// </summary>
    public static string? ReadSystemConfig(string? overridePath)
    {
        if (overridePath is not null)
            return File.Exists(overridePath) ? ReadMaybeGzip(overridePath) : null;
        string release = File.Exists("/proc/sys/kernel/osrelease") ? File.ReadAllText("/proc/sys/kernel/osrelease").Trim() : "";
        string boot = $"/boot/config-{release}";
        if (release.Length > 0 && File.Exists(boot))
            return ReadMaybeGzip(boot);
        return File.Exists("/proc/config.gz") ? ReadMaybeGzip("/proc/config.gz") : null;
    }

    private static string ReadMaybeGzip(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b)
        {
            using var gz = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress);
            using var reader = new StreamReader(gz);
            return reader.ReadToEnd();
        }
        return System.Text.Encoding.UTF8.GetString(bytes);
    }

    /// <summary>Applies every line of <paramref name="text"/>; returns 0 or a negative errno (after libbpf's WARN).</summary>
    public static int Apply(ObjectExterns externs, string text, Span<byte> data, bool warnLine)
    {
        foreach (var raw in text.Split('\n'))
        {
            int err = ProcessLine(externs, raw, data);
            if (err != 0)
            {
                if (warnLine)
                    LibbpfLog.Warn($"error parsing system Kconfig line '{raw}\n': {Errno.Str(err)}");
                return err;
            }
        }
        return 0;
    }

    private static int ProcessLine(ObjectExterns externs, string line, Span<byte> data)
    {
        if (!line.StartsWith("CONFIG_", StringComparison.Ordinal))
            return 0;
        int sep = line.IndexOf('=');
        if (sep < 0)
        {
            LibbpfLog.Warn($"failed to parse '{line}': no separator");
            return -Errno.EINVAL;
        }
        if (sep == line.Length - 1)
        {
            LibbpfLog.Warn($"failed to parse '{line}': no value");
            return -Errno.EINVAL;
        }
        var ext = externs.ByName(line[..sep]);
        if (ext is null || ext.IsSet || ext.Kind != ExternKind.Kconfig)
            return 0;
        string value = line[(sep + 1)..];
        var slot = data.Slice(ext.KconfigOffset, ext.KconfigSize);
        int err;
        switch (value[0])
        {
            case 'y' or 'n' or 'm':
                err = SetTristate(ext, slot, value[0]);
                break;
            case '"':
                err = SetString(ext, slot, value);
                break;
            default:
                if (!TryParseU64(value, out ulong num))
                {
                    LibbpfLog.Warn($"extern (kcfg) '{ext.Name}': value '{value}' isn't a valid integer");
                    return -Errno.EINVAL;
                }
                if (ext.KconfigType is not (KconfigType.Int or KconfigType.Char))
                {
                    LibbpfLog.Warn($"extern (kcfg) '{ext.Name}': value '{value}' implies integer type");
                    return -Errno.EINVAL;
                }
                err = SetNumber(ext, slot, num);
                break;
        }
        if (err == 0)
            LibbpfLog.Debug($"extern (kcfg) '{ext.Name}': set to {value}");
        return err;
    }

    // strtoull(value, &end, 0): decimal, 0x hex or 0 octal, the whole string.
    private static bool TryParseU64(string s, out ulong value)
    {
        value = 0;
        try
        {
            if (s.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
                return ulong.TryParse(s.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
            if (s.Length > 1 && s[0] == '0')
            {
                value = Convert.ToUInt64(s, 8);
                return true;
            }
            if (s.StartsWith('-') && long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long neg))
            {
                value = (ulong)neg;
                return true;
            }
            return ulong.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out value);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    public static int SetTristate(ExternDesc ext, Span<byte> slot, char value)
    {
        switch (ext.KconfigType)
        {
            case KconfigType.Bool:
                if (value == 'm')
                {
                    LibbpfLog.Warn($"extern (kcfg) '{ext.Name}': value '{value}' implies tristate or char type");
                    return -Errno.EINVAL;
                }
                slot[0] = value == 'y' ? (byte)1 : (byte)0;
                break;
            case KconfigType.Tristate:
                BinaryPrimitives.WriteInt32LittleEndian(slot, value == 'y' ? TriYes : value == 'm' ? TriModule : TriNo);
                break;
            case KconfigType.Char:
                slot[0] = (byte)value;
                break;
            default:
                LibbpfLog.Warn($"extern (kcfg) '{ext.Name}': value '{value}' implies bool, tristate, or char type");
                return -Errno.EINVAL;
        }
        ext.IsSet = true;
        return 0;
    }

    private static int SetString(ExternDesc ext, Span<byte> slot, string value)
    {
        if (ext.KconfigType != KconfigType.CharArray)
        {
            LibbpfLog.Warn($"extern (kcfg) '{ext.Name}': value '{value}' implies char array type");
            return -Errno.EINVAL;
        }
        if (value.Length < 2 || value[^1] != '"')
        {
            LibbpfLog.Warn($"extern (kcfg) '{ext.Name}': invalid string config '{value}'");
            return -Errno.EINVAL;
        }
        var bytes = System.Text.Encoding.UTF8.GetBytes(value[1..^1]);
        int len = bytes.Length;
        if (len >= ext.KconfigSize)
        {
            LibbpfLog.Warn($"extern (kcfg) '{ext.Name}': long string '{value}' of ({len} bytes) truncated to {ext.KconfigSize - 1} bytes");
            len = ext.KconfigSize - 1;
        }
        bytes.AsSpan(0, len).CopyTo(slot);
        slot[len] = 0;
        ext.IsSet = true;
        return 0;
    }

    public static int SetNumber(ExternDesc ext, Span<byte> slot, ulong value)
    {
        if (ext.KconfigType is not (KconfigType.Int or KconfigType.Char or KconfigType.Bool))
        {
            LibbpfLog.Warn($"extern (kcfg) '{ext.Name}': value '{value}' implies integer, char, or boolean type");
            return -Errno.EINVAL;
        }
        if (ext.KconfigType == KconfigType.Bool && value > 1)
        {
            LibbpfLog.Warn($"extern (kcfg) '{ext.Name}': value '{value}' isn't boolean compatible");
            return -Errno.EINVAL;
        }
        if (ext.KconfigType != KconfigType.Bool && !InRange(ext, value))
        {
            LibbpfLog.Warn($"extern (kcfg) '{ext.Name}': value '{value}' doesn't fit in {ext.KconfigSize} bytes");
            return -Errno.ERANGE;
        }
        switch (ext.KconfigSize)
        {
            case 1: slot[0] = (byte)value; break;
            case 2: BinaryPrimitives.WriteUInt16LittleEndian(slot, (ushort)value); break;
            case 4: BinaryPrimitives.WriteUInt32LittleEndian(slot, (uint)value); break;
            case 8: BinaryPrimitives.WriteUInt64LittleEndian(slot, value); break;
            default: return -Errno.ERANGE;
        }
        ext.IsSet = true;
        return 0;
    }

    // libbpf's is_kcfg_value_in_range: a signed target accepts the two's complement range of its width.
    private static bool InRange(ExternDesc ext, ulong v)
    {
        int bits = ext.KconfigSize * 8;
        if (ext.KconfigSize == 8)
            return true;
        return ext.KconfigSigned ? v + (1ul << (bits - 1)) < (1ul << bits) : (v >> bits) == 0;
    }
}
