using System.Text;

namespace BpfLoader.SkeletonGen;

internal enum Kind
{
    Void = 0, Int = 1, Ptr = 2, Array = 3, Struct = 4, Union = 5, Enum = 6, Fwd = 7, Typedef = 8, Volatile = 9,
    Const = 10, Restrict = 11, Func = 12, FuncProto = 13, Var = 14, Datasec = 15, Float = 16, DeclTag = 17,
    TypeTag = 18, Enum64 = 19,
}

internal sealed record BtfMember(string Name, int Type, uint BitOffset, int BitfieldSize);

internal sealed record BtfEnumerator(string Name, long Value);

internal sealed record BtfSecVar(int Type, uint Offset, uint Size);

/// <summary>One decoded BTF type record; which fields mean something depends on <see cref="Kind"/>.</summary>
internal sealed class BtfTypeRecord
{
    public int Id { get; init; }
    public Kind Kind { get; init; }
    public string Name { get; init; } = "";
    public bool KindFlag { get; init; }
    /// <summary>Size for INT/STRUCT/UNION/ENUM/FLOAT/DATASEC, the referenced type for PTR/TYPEDEF/modifiers/VAR/FUNC.</summary>
    public uint SizeOrType { get; init; }
    public int IntEncoding { get; init; }
    public int IntBitOffset { get; init; }
    public int IntBits { get; init; }
    public int ArrayElem { get; init; }
    public uint ArrayCount { get; init; }
    public int Linkage { get; init; }
    public IReadOnlyList<BtfMember> Members { get; init; } = [];
    public IReadOnlyList<BtfEnumerator> Enumerators { get; init; } = [];
    public IReadOnlyList<BtfSecVar> SecVars { get; init; } = [];

    public int RefType => (int)SizeOrType;
    public bool IsSignedInt => (IntEncoding & 1) != 0;
    public bool IsBool => (IntEncoding & 4) != 0;
}

/// <summary>
/// The object's .BTF section decoded into records (id 0 = void). Only what code generation needs: sizes,
/// alignment (libbpf's <c>btf__align_of</c>), modifier/typedef skipping and DATASEC lookup.
/// </summary>
internal sealed class BtfTypes
{
    private readonly List<BtfTypeRecord> _types;

    private BtfTypes(List<BtfTypeRecord> types) => _types = types;

    public int Count => _types.Count;
    public BtfTypeRecord this[int id] => id >= 0 && id < _types.Count ? _types[id] : throw new SkeletonGenException($"BTF type id {id} out of range");

    public IEnumerable<BtfTypeRecord> All => _types.Skip(1);

    public BtfTypeRecord? FindDatasec(string name) => _types.FirstOrDefault(t => t.Kind == Kind.Datasec && t.Name == name);

    /// <summary>Follows typedefs, modifiers and type tags to the type that decides layout.</summary>
    public BtfTypeRecord Resolve(int id)
    {
        var t = this[id];
        for (int depth = 0; depth < 64 && t.Kind is Kind.Typedef or Kind.Const or Kind.Volatile or Kind.Restrict or Kind.TypeTag; depth++)
            t = this[t.RefType];
        return t;
    }

    public long SizeOf(int id)
    {
        var t = Resolve(id);
        return t.Kind switch
        {
            Kind.Int or Kind.Struct or Kind.Union or Kind.Enum or Kind.Enum64 or Kind.Float or Kind.Datasec => t.SizeOrType,
            Kind.Ptr => 8,
            Kind.Array => t.ArrayCount * SizeOf(t.ArrayElem),
            Kind.Var => SizeOf(t.RefType),
            _ => throw new SkeletonGenException($"BTF type [{t.Id}] {t.Kind} '{t.Name}' has no size"),
        };
    }

    /// <summary>libbpf's <c>btf__align_of</c>: natural alignment, 1 for packed structs.</summary>
    public int AlignOf(int id)
    {
        var t = Resolve(id);
        switch (t.Kind)
        {
            case Kind.Int or Kind.Enum or Kind.Enum64 or Kind.Float:
                return (int)Math.Min(8, Math.Max(1, t.SizeOrType));
            case Kind.Ptr:
                return 8;
            case Kind.Array:
                return AlignOf(t.ArrayElem);
            case Kind.Struct or Kind.Union:
                int max = 1;
                foreach (var m in t.Members)
                {
                    int a = AlignOf(m.Type);
                    if (m.BitfieldSize == 0 && m.BitOffset % (8u * (uint)a) != 0)
                        return 1; // packed
                    max = Math.Max(max, a);
                }
                return t.SizeOrType % max != 0 ? 1 : max;
            default:
                throw new SkeletonGenException($"BTF type [{t.Id}] {t.Kind} '{t.Name}' has no alignment");
        }
    }

    public static BtfTypes Parse(byte[] b, string what)
    {
        if (b.Length < 24 || ElfImage.U16(b, 0) != 0xeB9F)
            throw new SkeletonGenException($"{what}: .BTF has a bad magic");
        int hdrLen = (int)ElfImage.U32(b, 4);
        int typeOff = hdrLen + (int)ElfImage.U32(b, 8), typeLen = (int)ElfImage.U32(b, 12);
        int strOff = hdrLen + (int)ElfImage.U32(b, 16), strLen = (int)ElfImage.U32(b, 20);
        if (typeOff < 0 || typeOff + typeLen > b.Length || strOff < 0 || strOff + strLen > b.Length)
            throw new SkeletonGenException($"{what}: .BTF sections lie outside the blob");
        string Str(uint off)
        {
            if (off >= strLen)
                throw new SkeletonGenException($"{what}: BTF string offset {off} out of range");
            int s = strOff + (int)off, e = s;
            while (e < strOff + strLen && b[e] != 0)
                e++;
            return Encoding.UTF8.GetString(b, s, e - s);
        }
        var types = new List<BtfTypeRecord> { new() { Id = 0, Kind = Kind.Void } };
        int p = typeOff, end = typeOff + typeLen;
        while (p < end)
        {
            if (p + 12 > end)
                throw new SkeletonGenException($"{what}: truncated BTF type record");
            uint nameOff = ElfImage.U32(b, p), info = ElfImage.U32(b, p + 4), sizeOrType = ElfImage.U32(b, p + 8);
            var kind = (Kind)((info >> 24) & 0x1f);
            int vlen = (int)(info & 0xffff);
            bool kflag = (info >> 31) != 0;
            int id = types.Count;
            string name = Str(nameOff);
            p += 12;
            int need = kind switch
            {
                Kind.Int or Kind.Var or Kind.DeclTag => 4,
                Kind.Array => 12,
                Kind.Struct or Kind.Union or Kind.Datasec => 12 * vlen,
                Kind.Enum or Kind.FuncProto => 8 * vlen,
                Kind.Enum64 => 12 * vlen,
                Kind.Ptr or Kind.Fwd or Kind.Typedef or Kind.Volatile or Kind.Const or Kind.Restrict or Kind.Func or Kind.Float or Kind.TypeTag => 0,
                _ => throw new SkeletonGenException($"{what}: BTF type [{id}] has unknown kind {(int)kind}"),
            };
            if (p + need > end)
                throw new SkeletonGenException($"{what}: BTF type [{id}] is truncated");
            BtfTypeRecord rec;
            switch (kind)
            {
                case Kind.Int:
                    uint data = ElfImage.U32(b, p);
                    rec = new BtfTypeRecord { Id = id, Kind = kind, Name = name, SizeOrType = sizeOrType, IntEncoding = (int)(data >> 24) & 0xf, IntBitOffset = (int)(data >> 16) & 0xff, IntBits = (int)(data & 0xff) };
                    break;
                case Kind.Array:
                    rec = new BtfTypeRecord { Id = id, Kind = kind, Name = name, ArrayElem = (int)ElfImage.U32(b, p), ArrayCount = ElfImage.U32(b, p + 8) };
                    break;
                case Kind.Struct or Kind.Union:
                    var members = new List<BtfMember>();
                    for (int i = 0; i < vlen; i++)
                    {
                        int q = p + i * 12;
                        uint off = ElfImage.U32(b, q + 8);
                        members.Add(kflag
                            ? new BtfMember(Str(ElfImage.U32(b, q)), (int)ElfImage.U32(b, q + 4), off & 0xffffff, (int)(off >> 24))
                            : new BtfMember(Str(ElfImage.U32(b, q)), (int)ElfImage.U32(b, q + 4), off, 0));
                    }
                    rec = new BtfTypeRecord { Id = id, Kind = kind, Name = name, KindFlag = kflag, SizeOrType = sizeOrType, Members = members };
                    break;
                case Kind.Enum or Kind.Enum64:
                    var values = new List<BtfEnumerator>();
                    for (int i = 0; i < vlen; i++)
                    {
                        int q = p + i * (kind == Kind.Enum ? 8 : 12);
                        long v = kind == Kind.Enum
                            ? (kflag ? (int)ElfImage.U32(b, q + 4) : ElfImage.U32(b, q + 4))
                            : (long)(ElfImage.U32(b, q + 4) | (ulong)ElfImage.U32(b, q + 8) << 32);
                        values.Add(new BtfEnumerator(Str(ElfImage.U32(b, q)), v));
                    }
                    rec = new BtfTypeRecord { Id = id, Kind = kind, Name = name, KindFlag = kflag, SizeOrType = sizeOrType, Enumerators = values };
                    break;
                case Kind.Var:
                    rec = new BtfTypeRecord { Id = id, Kind = kind, Name = name, SizeOrType = sizeOrType, Linkage = (int)ElfImage.U32(b, p) };
                    break;
                case Kind.Datasec:
                    var vars = new List<BtfSecVar>();
                    for (int i = 0; i < vlen; i++)
                    {
                        int q = p + i * 12;
                        vars.Add(new BtfSecVar((int)ElfImage.U32(b, q), ElfImage.U32(b, q + 4), ElfImage.U32(b, q + 8)));
                    }
                    rec = new BtfTypeRecord { Id = id, Kind = kind, Name = name, SizeOrType = sizeOrType, SecVars = vars };
                    break;
                case Kind.Func:
                    rec = new BtfTypeRecord { Id = id, Kind = kind, Name = name, SizeOrType = sizeOrType, Linkage = vlen };
                    break;
                default:
                    rec = new BtfTypeRecord { Id = id, Kind = kind, Name = name, KindFlag = kflag, SizeOrType = sizeOrType };
                    break;
            }
            types.Add(rec);
            p += need;
        }
        return new BtfTypes(types);
    }
}
