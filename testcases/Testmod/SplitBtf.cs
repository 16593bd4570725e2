using System.Buffers.Binary;
using System.Text;

namespace BpfTests.Testmod;

/// <summary>
/// Just enough BTF reading to find a named type's id and size in a module's split BTF
/// (/sys/kernel/btf/&lt;module&gt;): module type ids continue after vmlinux's, and module names may
/// point into vmlinux's string section. The loader will do this properly; these tests must not
/// wait for it.
/// </summary>
internal sealed class SplitBtf
{
    private readonly byte[] _data;
    private readonly int _typeStart, _typeEnd, _strStart, _strLen;

    private SplitBtf(byte[] data)
    {
        _data = data;
        if (BinaryPrimitives.ReadUInt16LittleEndian(data) != 0xeB9F) throw new InvalidDataException("not BTF (magic)");
        int hdrLen = (int)U32(4), typeOff = (int)U32(8), typeLen = (int)U32(12), strOff = (int)U32(16);
        _strLen = (int)U32(20);
        _typeStart = hdrLen + typeOff;
        _typeEnd = _typeStart + typeLen;
        _strStart = hdrLen + strOff;
    }

    public static SplitBtf Load(string path) => new(File.ReadAllBytes(path));

    private uint U32(int offset) => BinaryPrimitives.ReadUInt32LittleEndian(_data.AsSpan(offset));

    /// <summary>Every type as (name offset, kind, size-or-type), in id order.</summary>
    private IEnumerable<(uint NameOff, int Kind, uint SizeOrType)> Types()
    {
        var p = _typeStart;
        while (p < _typeEnd)
        {
            uint nameOff = U32(p), info = U32(p + 4), size = U32(p + 8);
            int kind = (int)(info >> 24) & 0x1f, vlen = (int)(info & 0xffff);
            p += 12 + kind switch
            {
                1 => 4,                       // INT
                3 => 12,                      // ARRAY
                4 or 5 => 12 * vlen,          // STRUCT, UNION
                6 => 8 * vlen,                // ENUM
                13 => 8 * vlen,               // FUNC_PROTO
                14 => 4,                      // VAR
                15 => 12 * vlen,              // DATASEC
                17 => 4,                      // DECL_TAG
                19 => 12 * vlen,              // ENUM64
                _ => 0,                       // PTR, FWD, TYPEDEF, VOLATILE, CONST, RESTRICT, FUNC, FLOAT, TYPE_TAG
            };
            yield return (nameOff, kind, size);
        }
    }

    public int TypeCount => Types().Count();

    private string Name(uint off) => Encoding.UTF8.GetString(_data, _strStart + (int)off, Array.IndexOf(_data, (byte)0, _strStart + (int)off) - _strStart - (int)off);

    /// <summary>The id and size of a STRUCT named <paramref name="name"/> in <paramref name="module"/>, split on this base.</summary>
    public (int Id, int Size)? FindStructInModule(SplitBtf module, string name)
    {
        var id = TypeCount; // module ids start after the base's (id 0 is void, not stored)
        foreach (var (nameOff, kind, size) in module.Types())
        {
            id++;
            if (kind != 4) continue;
            var n = nameOff < _strLen ? Name(nameOff) : module.Name(nameOff - (uint)_strLen);
            if (n == name) return (id, (int)size);
        }
        return null;
    }
}
