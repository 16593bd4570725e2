using System.Buffers;
using System.Buffers.Text;

namespace BpfLoader.Externs;

/// <summary>
/// A streaming reader of <c>/proc/kallsyms</c> ("ADDRESS TYPE NAME [MODULE]" per line) that allocates nothing
/// per line: the file has over a hundred thousand lines, and splitting each into strings cost ~50 MB of garbage
/// per object load with an untyped ksym (a fuzz finding: the allocation bound of a 6 KB object).
/// </summary>
internal static class Kallsyms
{
    /// <summary>One symbol; <paramref name="name"/> is valid only during the call.</summary>
    public delegate void SymbolHandler(ulong address, byte type, ReadOnlySpan<byte> name);

    /// <summary>Calls <paramref name="handler"/> for every well-formed line of <paramref name="path"/>.</summary>
    /// <exception cref="IOException">The file cannot be opened or read.</exception>
    public static void Read(string path, SymbolHandler handler)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1);
        byte[] buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            int filled = 0;
            while (true)
            {
                int n = file.Read(buffer, filled, buffer.Length - filled);
                filled += n;
                var pending = buffer.AsSpan(0, filled);
                int end;
                while ((end = pending.IndexOf((byte)'\n')) >= 0)
                {
                    if (TryParseLine(pending[..end], out ulong address, out byte type, out var name))
                        handler(address, type, name);
                    pending = pending[(end + 1)..];
                }
                if (n == 0)
                {
                    if (!pending.IsEmpty && TryParseLine(pending, out ulong address, out byte type, out var name))
                        handler(address, type, name);
                    return;
                }
                if (pending.Length == buffer.Length)
                    pending = []; // a line longer than the buffer is not a kallsyms line: dropped
                pending.CopyTo(buffer);
                filled = pending.Length;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Splits one line into its hexadecimal address, type letter and symbol name (the module part dropped).</summary>
    public static bool TryParseLine(ReadOnlySpan<byte> line, out ulong address, out byte type, out ReadOnlySpan<byte> name)
    {
        address = 0;
        type = 0;
        name = default;
        var rest = TrimStart(line);
        int space = rest.IndexOfAny((byte)' ', (byte)'\t');
        if (space <= 0 || !Utf8Parser.TryParse(rest[..space], out address, out int used, 'x') || used != space)
            return false;
        rest = TrimStart(rest[space..]);
        space = rest.IndexOfAny((byte)' ', (byte)'\t');
        if (space != 1)
            return false;
        type = rest[0];
        rest = TrimStart(rest[1..]);
        int nameEnd = rest.IndexOfAny((byte)' ', (byte)'\t');
        name = nameEnd < 0 ? rest : rest[..nameEnd];
        return !name.IsEmpty;
    }

    private static ReadOnlySpan<byte> TrimStart(ReadOnlySpan<byte> s)
    {
        int i = 0;
        while (i < s.Length && (s[i] == ' ' || s[i] == '\t'))
            i++;
        return s[i..];
    }
}
