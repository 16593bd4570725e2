using BpfLoader.Diagnostics;

namespace BpfLoader.Btf;

// Type-chain helpers with libbpf semantics.
public sealed partial class Btf
{
    // libbpf's MAX_RESOLVE_DEPTH: bounds the walk so that a reference cycle cannot hang us.
    private const int MaxResolveDepth = 32;

    private int _ptrSize;   // 0 = not yet determined

    /// <summary>
    /// Follows TYPEDEF, VOLATILE, CONST, RESTRICT and TYPE_TAG links from <paramref name="id"/> and returns the
    /// first other id (0 for void). A cycle stops after <c>MaxTypeId</c> hops and returns where it stopped.
    /// </summary>
    public int SkipModsAndTypedefs(int id)
    {
        for (int hops = 0; hops <= MaxTypeId; hops++)
        {
            var t = GetType(id);
            if (t.Kind != BtfKind.Typedef && !BtfKinds.IsModifier(t.Kind))
                return id;
            id = t.Type;
        }
        return id;
    }

    /// <summary>
    /// libbpf's <c>btf__resolve_size</c>: byte size of <paramref name="id"/> through modifiers, typedefs, VAR,
    /// DECL_TAG and arrays (element size times element counts). Returns a negative errno instead of a size:
    /// <c>-EINVAL</c> (-22) for void, FUNC, FUNC_PROTO, FWD or chains deeper than 32, <c>-E2BIG</c> (-7) when
    /// the result does not fit in 32 bits. Never throws for ids within range.
    /// </summary>
    public long ResolveSize(int id)
    {
        uint nelems = 1;
        long size = -1;
        if (!TryGetType(id, out var t))
            return -Errno.EINVAL;
        for (int depth = 0; depth < MaxResolveDepth && !t.IsVoid; depth++)
        {
            switch (t.Kind)
            {
                case BtfKind.Int or BtfKind.Struct or BtfKind.Union or BtfKind.Enum or BtfKind.Enum64
                    or BtfKind.Datasec or BtfKind.Float:
                    size = t.Size;
                    goto done;
                case BtfKind.Ptr:
                    size = PointerSize;
                    goto done;
                case BtfKind.Typedef or BtfKind.Volatile or BtfKind.Const or BtfKind.Restrict or BtfKind.Var
                    or BtfKind.DeclTag or BtfKind.TypeTag:
                    id = t.Type;
                    break;
                case BtfKind.Array:
                    var arr = t.Array;
                    if (nelems != 0 && arr.NElems > uint.MaxValue / nelems)
                        return -Errno.E2BIG;
                    nelems *= arr.NElems;
                    id = arr.ElemType;
                    break;
                default:
                    return -Errno.EINVAL;
            }
            t = GetType(id);
        }
    done:
        if (size < 0)
            return -Errno.EINVAL;
        if (nelems != 0 && size > uint.MaxValue / nelems)
            return -Errno.E2BIG;
        return nelems * size;
    }

    /// <summary>
    /// Pointer size of the described target: the size of the <c>long</c> INT if present (as libbpf guesses it),
    /// else the base's, else 8.
    /// </summary>
    public int PointerSize
    {
        get
        {
            if (_ptrSize == 0)
                _ptrSize = DeterminePointerSize();
            return _ptrSize;
        }
    }

    private int DeterminePointerSize()
    {
        ReadOnlySpan<string> longNames = ["long", "long int", "int long", "unsigned long", "long unsigned",
            "unsigned long int", "unsigned int long", "long unsigned int", "long int unsigned", "int unsigned long",
            "int long unsigned"];
        for (int id = 1; id <= LastId; id++)
        {
            var t = GetType(id);
            if (t.Kind != BtfKind.Int)
                continue;
            var name = t.Name;
            foreach (var n in longNames)
            {
                if (n == name)
                {
                    if (t.Size is 4 or 8)
                        return (int)t.Size;
                    return 8;
                }
            }
        }
        return 8;
    }
}
