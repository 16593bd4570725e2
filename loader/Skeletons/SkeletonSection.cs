using System.Runtime.InteropServices;
using BpfLoader.Diagnostics;
using BpfLoader.Maps;

namespace BpfLoader.Skeletons;

/// <summary>
/// The bytes of one global-data map as generated skeleton code reads and writes them: the map's initial image
/// before load, its memory mapping after (so values are live). Writes to a read-only mapping (.rodata and
/// .kconfig after load) are refused with a <see cref="BpfException"/> instead of faulting.
/// </summary>
public sealed class SkeletonSection(BpfMap map)
{
    /// <summary>The data section's map.</summary>
    public BpfMap Map { get; } = map;

    /// <summary>The section's current bytes (read-only use after load for frozen sections).</summary>
    public Span<byte> Bytes => Map.Data;

    /// <summary>Reads a <typeparamref name="T"/> at byte <paramref name="offset"/> of the section.</summary>
    public T Read<T>(int offset) where T : unmanaged => MemoryMarshal.Read<T>(Map.Data[offset..]);

    /// <summary>Writes <paramref name="value"/> at byte <paramref name="offset"/> of the section.</summary>
    public void Write<T>(int offset, T value) where T : unmanaged => MemoryMarshal.Write(Writable()[offset..], in value);

    /// <summary>The section's bytes for writing; throws once the section is read-only.</summary>
    public Span<byte> Writable()
    {
        if (!Map.IsDataWritable)
            throw new BpfException($"map '{Map.Name}': {Map.SectionName} is read-only after load; set it before Load()", Errno.EPERM);
        return Map.Data;
    }

    /// <summary>A bitfield of <paramref name="bits"/> bits at bit <paramref name="bitOffset"/> from <paramref name="offset"/>, sign-extended when <paramref name="signed"/>.</summary>
    public long ReadBits(int offset, long bitOffset, int bits, bool signed)
    {
        var data = Map.Data;
        ulong v = 0;
        for (int i = 0; i < bits; i++)
        {
            long bit = offset * 8L + bitOffset + i;
            if ((data[(int)(bit / 8)] >> (int)(bit % 8) & 1) != 0)
                v |= 1UL << i;
        }
        if (signed && bits < 64 && (v >> (bits - 1) & 1) != 0)
            v |= ~0UL << bits;
        return (long)v;
    }

    /// <summary>Writes <paramref name="value"/> into a bitfield of <paramref name="bits"/> bits, <paramref name="bitOffset"/> bits after byte <paramref name="offset"/>.</summary>
    public void WriteBits(int offset, long bitOffset, int bits, long value)
    {
        var data = Writable();
        for (int i = 0; i < bits; i++)
        {
            long bit = offset * 8L + bitOffset + i;
            byte mask = (byte)(1 << (int)(bit % 8));
            if (((ulong)value >> i & 1) != 0)
                data[(int)(bit / 8)] |= mask;
            else
                data[(int)(bit / 8)] &= (byte)~mask;
        }
    }
}

/// <summary>A typed window at <see cref="Offset"/> into a <see cref="SkeletonSection"/>; generated struct views derive from it.</summary>
public abstract class SkeletonView(SkeletonSection section, int offset)
{
    /// <summary>The section the view reads and writes.</summary>
    public SkeletonSection Section { get; } = section;
    /// <summary>The view's byte offset in the section.</summary>
    public int Offset { get; } = offset;
}

/// <summary>One generated field: C name (anonymous members flattened), byte offset and size, and bit position for bitfields.</summary>
public sealed record SkeletonField(string Name, int Offset, int Size, int BitOffset = 0, int BitSize = 0);

/// <summary>A fixed array of scalars (C <c>int arr[4]</c>).</summary>
public sealed class SkeletonArray<T>(SkeletonSection section, int offset, int length) : SkeletonView(section, offset) where T : unmanaged
{
    /// <summary>The number of elements.</summary>
    public int Length { get; } = length;

    /// <summary>The element at <paramref name="index"/>.</summary>
    public T this[int index]
    {
        get => Section.Read<T>(At(index));
        set => Section.Write(At(index), value);
    }

    /// <summary>A copy of the elements.</summary>
    public T[] ToArray() => Enumerable.Range(0, Length).Select(i => this[i]).ToArray();

    private int At(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Length);
        return Offset + index * Marshal.SizeOf<T>();
    }
}

/// <summary>A fixed array of structs, unions or arrays, each element a view.</summary>
public sealed class SkeletonViewArray<TView>(SkeletonSection section, int offset, int length, int stride, Func<SkeletonSection, int, TView> element)
    : SkeletonView(section, offset)
{
    /// <summary>The number of elements.</summary>
    public int Length { get; } = length;

    /// <summary>A view of the element at <paramref name="index"/>.</summary>
    public TView this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Length);
            return element(Section, Offset + index * stride);
        }
    }
}

/// <summary>A C <c>char</c> array: bytes, and a NUL-terminated string view.</summary>
public sealed class SkeletonCharArray(SkeletonSection section, int offset, int length) : SkeletonView(section, offset)
{
    /// <summary>The array's size in bytes.</summary>
    public int Length { get; } = length;

    /// <summary>The byte at <paramref name="index"/>.</summary>
    public byte this[int index]
    {
        get => Section.Bytes.Slice(Offset, Length)[index];
        set => Section.Writable().Slice(Offset, Length)[index] = value;
    }

    /// <summary>The text up to the first NUL; setting it requires room for the NUL and clears the rest.</summary>
    public string Value
    {
        get
        {
            var bytes = Section.Bytes.Slice(Offset, Length);
            int end = bytes.IndexOf((byte)0);
            return System.Text.Encoding.UTF8.GetString(end < 0 ? bytes : bytes[..end]);
        }
        set
        {
            var bytes = System.Text.Encoding.UTF8.GetBytes(value);
            if (bytes.Length >= Length)
                throw new BpfException($"map '{Section.Map.Name}': '{value}' does not fit a char[{Length}] with its NUL", Errno.E2BIG);
            var dest = Section.Writable().Slice(Offset, Length);
            dest.Clear();
            bytes.CopyTo(dest);
        }
    }

    /// <summary>The text up to the first NUL.</summary>
    public override string ToString() => Value;
}

/// <summary>Bytes the generator has no typed view for (the reason is in the property's comment).</summary>
public sealed class SkeletonBytes(SkeletonSection section, int offset, int length) : SkeletonView(section, offset)
{
    /// <summary>The size in bytes.</summary>
    public int Length { get; } = length;
    /// <summary>The bytes.</summary>
    public ReadOnlySpan<byte> Span => Section.Bytes.Slice(Offset, Length);
    /// <summary>The bytes, writable (before load, or for .data/.bss after).</summary>
    public Span<byte> WritableSpan => Section.Writable().Slice(Offset, Length);
}
