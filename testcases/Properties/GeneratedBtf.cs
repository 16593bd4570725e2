using BpfLoader.Btf;
using FsCheck;
using FsCheck.Fluent;

namespace BpfTests.Properties;

using Btf = BpfLoader.Btf.Btf;

/// <summary>
/// One step of a generated BTF type graph: which kind to add (<see cref="Kind"/>) and a seed for its choices
/// (the types it refers to, sizes, names, gaps). A graph is a list of steps interpreted by
/// <see cref="GeneratedBtf.Build"/>; every list of steps builds, so FsCheck shrinks a failure by dropping steps.
/// </summary>
public readonly record struct BtfStep(int Kind, int Seed)
{
    public override string ToString() => $"({Kind},{Seed})";

    /// <summary>Reads steps in FsCheck's printed form: <c>(5,1411565838); (1,401999150)</c>.</summary>
    public static BtfStep[] ParseList(string text)
        => text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => s.Trim('(', ')').Split(','))
            .Select(p => new BtfStep(int.Parse(p[0], System.Globalization.CultureInfo.InvariantCulture), int.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture)))
            .ToArray();
}

/// <summary>Which graphs: C-compilable layouts only, or every kind the writer and parser know.</summary>
public enum BtfFlavor
{
    /// <summary>Ints and floats with C names, pointers, arrays, structs/unions laid out as a C compiler does (plus
    /// gaps, trailing padding and packed structs), enums, typedefs, const/volatile, forward declarations,
    /// function prototypes behind pointers and typedefs, self-referencing structs.</summary>
    CLayout,
    /// <summary>Everything in <see cref="CLayout"/> plus bitfields, FUNC, VAR, DATASEC, DECL_TAG, TYPE_TAG, ENUM64,
    /// RESTRICT and arbitrary int encodings: graphs the C dumper need not compile but the parser must keep.</summary>
    Any,
}

/// <summary>A built graph: its BTF and the C names of the complete named types, for layout assertions.</summary>
public sealed record BuiltBtf(Btf Btf, IReadOnlyList<(int Id, string CName)> NamedCompleteTypes);

/// <summary>FsCheck generators of BTF type graphs and the interpreter that builds them with the loader's BTF writer.</summary>
public static class GeneratedBtf
{
    private const int CLayoutKinds = 11, AnyKinds = 19;

    public static Arbitrary<BtfStep[]> Steps(BtfFlavor flavor, int maxSteps = 40)
    {
        int kinds = flavor == BtfFlavor.CLayout ? CLayoutKinds : AnyKinds;
        var step = Gen.Choose(0, kinds - 1).SelectMany(k => Gen.Choose(0, int.MaxValue - 1), (k, s) => new BtfStep(k, s));
        var steps = Gen.Sized(size => Gen.Choose(1, Math.Clamp(size, 1, maxSteps)).SelectMany(n => Gen.ArrayOf(step, n)));
        return Arb.From(steps, Shrink);
    }

    /// <summary>Several graphs at once (one clang run compiles them all), each with its own name prefix.</summary>
    public static Arbitrary<BtfStep[][]> Batches(BtfFlavor flavor, int graphs, int maxSteps = 30)
    {
        var one = Steps(flavor, maxSteps).Generator;
        return Arb.From(Gen.ArrayOf(one, graphs), batch => batch.Length <= 1 ? [] :
            Enumerable.Range(0, batch.Length).Select(i => batch.Where((_, k) => k != i).ToArray())
                .Concat(Enumerable.Range(0, batch.Length).SelectMany(i => Shrink(batch[i]).Take(4).Select(s => batch.Select((b, k) => k == i ? s : b).ToArray()))));
    }

    // Drop halves, then single steps: the interpreter maps references modulo what exists, so any subsequence builds.
    private static IEnumerable<BtfStep[]> Shrink(BtfStep[] steps)
    {
        if (steps.Length <= 1)
            yield break;
        yield return steps[..(steps.Length / 2)];
        yield return steps[(steps.Length / 2)..];
        for (int i = steps.Length - 1; i >= 0; i--)
            yield return steps.Where((_, k) => k != i).ToArray();
    }

    /// <summary><paramref name="Referable"/>: other types may refer to it (FUNC and DATASEC are not types a member,
    /// pointer or typedef can name; libbpf's dedup rejects such graphs).</summary>
    private sealed record Info(int Id, long Size, int Align, bool Complete, bool Referable = true);

    private static readonly (string Name, uint Size, BtfIntEncoding Encoding)[] CInts =
    [
        ("char", 1, BtfIntEncoding.Signed), ("unsigned char", 1, BtfIntEncoding.None), ("signed char", 1, BtfIntEncoding.Signed),
        ("short", 2, BtfIntEncoding.Signed), ("unsigned short", 2, BtfIntEncoding.None), ("unsigned int", 4, BtfIntEncoding.None),
        ("long", 8, BtfIntEncoding.Signed), ("unsigned long", 8, BtfIntEncoding.None), ("long long", 8, BtfIntEncoding.Signed),
        ("_Bool", 1, BtfIntEncoding.Bool),
    ];

    /// <summary>
    /// Interprets <paramref name="steps"/> into <paramref name="into"/> (a new BTF when null); names carry
    /// <paramref name="prefix"/> so several graphs can share one C file. The same steps give the same graph.
    /// </summary>
    public static BuiltBtf Build(IReadOnlyList<BtfStep> steps, BtfFlavor flavor, string prefix = "", Btf? into = null)
    {
        var btf = into ?? Btf.CreateEmpty(sourceName: "generated");
        var types = new List<Info>();
        var named = new List<(int, string)>();
        int intId = btf.AddInt("int", 4, BtfIntEncoding.Signed);
        types.Add(new Info(intId, 4, 4, true));
        var complete = () => types.Where(t => t.Complete && t.Referable).ToList();
        for (int i = 0; i < steps.Count; i++)
        {
            var rng = new Random(steps[i].Seed);
            string n = $"{prefix}{i}";
            Info Pick(bool mustBeComplete, bool allowVoid = false)
            {
                var pool = mustBeComplete ? complete() : types.Where(t => t.Referable).ToList();
                if (allowVoid && rng.Next(8) == 0)
                    return new Info(0, 0, 1, false);
                return pool[rng.Next(pool.Count)];
            }
            switch (steps[i].Kind)
            {
                case 0:
                {
                    var (name, size, enc) = CInts[rng.Next(CInts.Length)];
                    types.Add(new Info(btf.AddInt(name, size, enc), size, (int)size, true));
                    break;
                }
                case 1:
                {
                    bool dbl = rng.Next(2) == 0;
                    types.Add(new Info(btf.AddFloat(dbl ? "double" : "float", dbl ? 8u : 4u), dbl ? 8 : 4, dbl ? 8 : 4, true));
                    break;
                }
                case 2:
                    types.Add(new Info(btf.AddPtr(Pick(false, allowVoid: true).Id), 8, 8, true));
                    break;
                case 3:
                {
                    var elem = Pick(true);
                    uint count = (uint)rng.Next(1, 5);
                    types.Add(new Info(btf.AddArray(elem.Id, intId, count), elem.Size * count, elem.Align, true));
                    break;
                }
                case 4 or 5:
                    types.Add(AddAggregate(btf, rng, steps[i].Kind == 5, n, Pick, named));
                    break;
                case 6:
                {
                    int count = rng.Next(1, 4);
                    var values = Enumerable.Range(0, count).Select(k => new BtfEnumSpec($"E{n}_{k}", rng.Next(-5, 100))).ToArray();
                    string? name = rng.Next(4) == 0 ? null : $"e{n}";
                    int id = btf.AddEnum(name, 4, values.Any(v => v.Value < 0), values);
                    if (name is not null)
                        named.Add((id, $"enum {name}"));
                    types.Add(new Info(id, 4, 4, true));
                    break;
                }
                case 7:
                {
                    var target = Pick(false, allowVoid: true);
                    int id = btf.AddTypedef($"t{n}", target.Id);
                    if (target.Complete)
                        named.Add((id, $"t{n}"));
                    types.Add(target with { Id = id });
                    break;
                }
                case 8:
                {
                    var target = Pick(true);
                    int id = rng.Next(2) == 0 ? btf.AddConst(target.Id) : btf.AddVolatile(target.Id);
                    types.Add(target with { Id = id });
                    break;
                }
                case 9:
                {
                    bool union = rng.Next(3) == 0;
                    int id = btf.AddFwd($"{(union ? "u" : "s")}fwd{n}", union);
                    types.Add(new Info(id, 0, 1, false));
                    break;
                }
                case 10:
                {
                    var ret = Pick(true, allowVoid: true);
                    if (ret.Id != 0 && btf[btf.SkipModsAndTypedefs(ret.Id)].Kind == BtfKind.Array)
                        ret = types[0]; // C functions cannot return arrays
                    var ps = Enumerable.Range(0, rng.Next(0, 4)).Select(k => new BtfParamSpec(flavor == BtfFlavor.Any && rng.Next(3) == 0 ? null : $"p{k}", Pick(true).Id)).ToArray();
                    types.Add(new Info(btf.AddFuncProto(ret.Id, ps), 0, 1, false));
                    break;
                }
                // ---- BtfFlavor.Any only ----
                case 11:
                {
                    var protos = types.Where(t => btf[t.Id].Kind == BtfKind.FuncProto).ToList();
                    int proto = protos.Count > 0 ? protos[rng.Next(protos.Count)].Id : btf.AddFuncProto(0, []);
                    types.Add(new Info(btf.AddFunc($"f{n}", proto, (BtfFuncLinkage)rng.Next(3)), 0, 1, false, Referable: false));
                    break;
                }
                case 12:
                {
                    var vars = new List<BtfVarSecInfo>();
                    uint off = 0;
                    for (int k = 0, count = rng.Next(0, 4); k < count; k++)
                    {
                        var t = Pick(true);
                        int v = btf.AddVar($"v{n}_{k}", t.Id, (BtfVarLinkage)rng.Next(3));
                        vars.Add(new BtfVarSecInfo(v, off, (uint)t.Size));
                        off += (uint)t.Size;
                    }
                    types.Add(new Info(btf.AddDatasec($".data{n}", off, vars.ToArray()), off, 1, false, Referable: false));
                    break;
                }
                case 13:
                {
                    var target = types[rng.Next(types.Count)]; // any kind may carry a tag, FUNC included
                    var t = btf[target.Id];
                    int component = t.Kind is BtfKind.Struct or BtfKind.Union && t.Vlen > 0 && rng.Next(2) == 0 ? rng.Next(t.Vlen) : -1;
                    btf.AddDeclTag($"tag{n}", target.Id, component, rng.Next(4) == 0);
                    break;
                }
                case 14:
                    types.Add(new Info(btf.AddPtr(btf.AddTypeTag($"tt{n}", Pick(false, allowVoid: true).Id, rng.Next(4) == 0)), 8, 8, true));
                    break;
                case 15:
                {
                    var values = Enumerable.Range(0, rng.Next(1, 4)).Select(k => new BtfEnumSpec($"F{n}_{k}", rng.NextInt64(long.MinValue, long.MaxValue))).ToArray();
                    types.Add(new Info(btf.AddEnum64(rng.Next(3) == 0 ? null : $"e64{n}", 8, rng.Next(2) == 0, values), 8, 8, true));
                    break;
                }
                case 16:
                    types.Add(new Info(btf.AddRestrict(btf.AddPtr(Pick(false, allowVoid: true).Id)), 8, 8, true));
                    break;
                case 17:
                    types.Add(AddBitfieldStruct(btf, rng, n, Pick));
                    break;
                case 18:
                {
                    int bits = rng.Next(1, 65);
                    uint size = bits <= 8 ? 1u : bits <= 16 ? 2u : bits <= 32 ? 4u : 8u;
                    var enc = (BtfIntEncoding)(1 << rng.Next(3)) & (BtfIntEncoding.Signed | BtfIntEncoding.Char | BtfIntEncoding.Bool);
                    types.Add(new Info(btf.AddInt($"i{n}", size, enc, bits, rng.Next((int)size * 8 - bits + 1)), size, (int)size, true));
                    break;
                }
            }
        }
        return new BuiltBtf(btf, named);
    }

    // A struct or union laid out as a C compiler would, with optional gaps, trailing padding, packing and a
    // pointer to itself (a forward reference: the pointer's id is added after the struct).
    private static Info AddAggregate(Btf btf, Random rng, bool union, string n, Func<bool, bool, Info> pick,
        List<(int, string)> named)
    {
        bool packed = !union && rng.Next(6) == 0;
        int count = rng.Next(1, 6);
        var members = new List<BtfMemberSpec>();
        long cur = 0, size = 0;
        int align = 1, naturalAlign = 1;
        bool misaligned = false;
        int self = btf.LastId + 1;
        string? name = rng.Next(5) == 0 ? null : $"{(union ? "u" : "s")}{n}";
        // Only a named type can point to itself in C (an anonymous one is written inline: an endless cycle).
        bool selfPointer = name is not null && rng.Next(4) == 0;
        for (int k = 0; k < count; k++)
        {
            Info t = selfPointer && k == count - 1 ? new Info(self + 1, 8, 8, true) : pick(true, false);
            int a = packed ? 1 : t.Align;
            long off = union ? 0 : AlignUp(cur, a);
            if (!union && !packed && rng.Next(5) == 0)
                off += t.Align * rng.Next(1, 3);
            members.Add(new BtfMemberSpec($"m{k}", t.Id, (uint)(off * 8)));
            cur = off + t.Size;
            size = Math.Max(size, cur);
            align = Math.Max(align, a);
            naturalAlign = Math.Max(naturalAlign, t.Align);
            misaligned |= off % t.Align != 0;
        }
        size = AlignUp(size, align);
        // BTF has no alignment: a reader infers it from the members, so a packed layout that happens to be aligned
        // is not packed for anyone (libbpf's btf_is_struct_packed).
        if (packed && !misaligned && size % naturalAlign == 0)
            align = naturalAlign;
        // Trailing padding beyond the alignment: the dumper (as libbpf's) pads structs only, so unions never get it.
        if (!packed && !union && rng.Next(4) == 0)
            size += align * rng.Next(1, 3);
        int id = union ? btf.AddUnion(name, (uint)size, members.ToArray()) : btf.AddStruct(name, (uint)size, members.ToArray());
        if (selfPointer)
            btf.AddPtr(id);
        if (name is not null)
            named.Add((id, $"{(union ? "union" : "struct")} {name}"));
        return new Info(id, size, align, true);
    }

    private static Info AddBitfieldStruct(Btf btf, Random rng, string n, Func<bool, bool, Info> pick)
    {
        var members = new List<BtfMemberSpec>();
        uint bit = 0;
        for (int k = 0, count = rng.Next(1, 6); k < count; k++)
        {
            uint width = (uint)rng.Next(0, 17);
            members.Add(new BtfMemberSpec(rng.Next(5) == 0 ? null : $"b{k}", pick(true, false).Id, bit, width));
            bit += Math.Max(width, 8);
        }
        uint size = (bit + 63) / 64 * 8;
        return new Info(btf.AddStruct($"bf{n}", size, members.ToArray()), size, 8, true);
    }

    private static long AlignUp(long value, int align) => (value + align - 1) / align * align;
}
