using System.Buffers.Binary;

namespace BpfFuzz;

/// <summary>One overwrite of <see cref="Bytes"/> at <see cref="Offset"/>, labelled with the structure it aims at.</summary>
public sealed record Edit(string Region, int Offset, byte[] Bytes);

/// <summary>A list of edits and an optional truncation, applied to a copy of a seed input.</summary>
public sealed record Mutation(IReadOnlyList<Edit> Edits, int? TruncateTo)
{
    public byte[] ApplyTo(byte[] seed)
    {
        var bytes = (byte[])seed.Clone();
        foreach (var e in Edits)
        {
            if (e.Offset >= 0 && e.Offset + e.Bytes.Length <= bytes.Length)
                e.Bytes.CopyTo(bytes, e.Offset);
        }
        return TruncateTo is int n && n < bytes.Length ? bytes[..n] : bytes;
    }

    public override string ToString()
        => string.Join("; ", Edits.Select(e => $"{e.Region} @{e.Offset}={Convert.ToHexString(e.Bytes)}"))
            + (TruncateTo is int n ? $"; truncate to {n}" : "");
}

/// <summary>
/// Structure-aware mutations: most edits rewrite one field of a record table (section header, symbol, relocation,
/// BTF header or type word, .BTF.ext word, struct_ops slot) with a value from <see cref="Interesting"/>, the
/// field's neighbourhood, another field of the input, or flipped bits; some overwrite raw bytes; a few truncate.
/// </summary>
public static class Mutator
{
    // Boundaries where signed/unsigned, width and off-by-one mistakes live.
    private static readonly ulong[] Interesting =
    [
        0, 1, 2, 3, 4, 7, 8, 12, 16, 24, 32, 63, 64, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x10000,
        0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff, 0x100000000, 0x7fffffffffffffff, 0x8000000000000000,
        0xfffffffffffffff8, 0xffffffffffffffff, 0x000fffff, 0x00100000,
    ];

    public static Mutation Next(FuzzInput input, Random rng)
    {
        var regions = input.Regions.Where(r => r.Length > 0).ToList();
        int count = 1 + rng.Next(4);
        var edits = new List<Edit>(count);
        for (int i = 0; i < count; i++)
        {
            var region = regions[rng.Next(regions.Count)];
            var edit = region.Fields is { Length: > 0 } && rng.Next(8) != 0
                ? FieldEdit(input.Bytes, region, rng)
                : ByteEdit(input.Bytes, region, rng);
            if (edit is not null)
                edits.Add(edit);
        }
        int? truncate = rng.Next(40) == 0 ? rng.Next(input.Bytes.Length) : null;
        return new Mutation(edits, truncate);
    }

    private static Edit? FieldEdit(byte[] seed, Region region, Random rng)
    {
        int records = Math.Max(1, region.Length / region.RecordSize);
        var (fieldOffset, width) = region.Fields![rng.Next(region.Fields.Length)];
        int offset = region.Offset + rng.Next(records) * region.RecordSize + fieldOffset;
        if (offset + width > seed.Length || offset + width > region.Offset + region.Length)
            return null;
        ulong current = Read(seed, offset, width);
        ulong value = rng.Next(6) switch
        {
            0 or 1 => Interesting[rng.Next(Interesting.Length)],
            2 => current + (ulong)(rng.Next(33) - 16),
            3 => current ^ (1UL << rng.Next(width * 8)),
            4 => (ulong)rng.NextInt64() >> rng.Next(64),
            _ => Read(seed, region.Offset + rng.Next(records) * region.RecordSize + fieldOffset, width), // another record's value
        };
        var bytes = new byte[width];
        Write(bytes, value, width);
        return new Edit(region.Name, offset, bytes);
    }

    private static Edit ByteEdit(byte[] seed, Region region, Random rng)
    {
        int length = Math.Min(region.Length, 1 + rng.Next(rng.Next(4) == 0 ? 16 : 2));
        int offset = region.Offset + rng.Next(region.Length - length + 1);
        var bytes = new byte[length];
        switch (rng.Next(3))
        {
            case 0:
                rng.NextBytes(bytes);
                break;
            case 1:
                Array.Fill(bytes, (byte)Interesting[rng.Next(16)]);
                break;
            default:
                // A chunk copied from elsewhere in the input: plausible-looking values in the wrong place.
                int from = rng.Next(Math.Max(1, seed.Length - length));
                Array.Copy(seed, from, bytes, 0, Math.Min(length, seed.Length - from));
                break;
        }
        return new Edit(region.Name, offset, bytes);
    }

    private static ulong Read(byte[] b, int offset, int width) => width switch
    {
        1 => b[offset],
        2 => BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(offset)),
        4 => BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(offset)),
        _ => BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan(offset)),
    };

    private static void Write(byte[] b, ulong value, int width)
    {
        switch (width)
        {
            case 1: b[0] = (byte)value; break;
            case 2: BinaryPrimitives.WriteUInt16LittleEndian(b, (ushort)value); break;
            case 4: BinaryPrimitives.WriteUInt32LittleEndian(b, (uint)value); break;
            default: BinaryPrimitives.WriteUInt64LittleEndian(b, value); break;
        }
    }
}
