using BpfLoader.Btf;
using BpfLoader.Diagnostics;

namespace BpfLoader.BtfDump;

using Btf = BpfLoader.Btf.Btf;

/// <summary>
/// The pre-pass of the C header dumper: refuses BTF whose types cannot be written as C before any output,
/// so the dumper's own recursions always end. Follows libbpf's btf_dump ordering rule: a reference cycle is
/// fine only when it passes through a pointer to a named struct or union (a forward declaration breaks
/// it); any other cycle (by value, through a typedef, an anonymous record, or pointers alone) is reported
/// as libbpf does: WARN <c>unsatisfiable type cycle, id:[N]</c>, -ELOOP. Chains longer than
/// <see cref="MaxDepth"/> are refused with -E2BIG rather than risking the stack.
/// </summary>
internal sealed class BtfDumpCycles
{
    /// <summary>The deepest reference chain the dumper recurses through (vmlinux needs a few dozen).</summary>
    public const int MaxDepth = 512;

    private enum Mark : byte { None, Visiting, Done }

    private readonly Btf _btf;
    // Indexed [throughPointer ? 1 : 0][id]: whether a type was reached through a pointer changes the rule.
    private readonly Mark[][] _marks;
    // The longest chain below a finished type, so a long chain is caught whichever of its types comes first.
    private readonly int[][] _heights;

    private BtfDumpCycles(Btf btf)
    {
        _btf = btf;
        _marks = [new Mark[btf.LastId + 1], new Mark[btf.LastId + 1]];
        _heights = [new int[btf.LastId + 1], new int[btf.LastId + 1]];
    }

    /// <summary>Throws <see cref="BpfException"/> (-ELOOP or -E2BIG) when <paramref name="btf"/> cannot be dumped.</summary>
    public static void Check(Btf btf)
    {
        var check = new BtfDumpCycles(btf);
        for (int id = btf.StartId; id <= btf.LastId; id++)
            check.Visit(id, throughPointer: false, depth: 0);
    }

    /// <summary>Returns the length of the longest reference chain starting at <paramref name="id"/>.</summary>
    private int Visit(int id, bool throughPointer, int depth)
    {
        if (id < _btf.StartId)
            return 0; // void, or a type of the base BTF (dumped elsewhere)
        var t = _btf[id];
        if (t.Kind is BtfKind.Struct or BtfKind.Union && throughPointer && t.NameOffset != 0)
            return 0; // a forward declaration is enough
        int slot = throughPointer ? 1 : 0;
        var marks = _marks[slot];
        if (marks[id] == Mark.Done)
            return _heights[slot][id];
        if (marks[id] == Mark.Visiting)
        {
            string message = $"unsatisfiable type cycle, id:[{id}]";
            throw LibbpfError.Log(message, new BpfFormatException(message, Errno.ELOOP));
        }
        if (depth >= MaxDepth)
            throw TooDeep(id);
        marks[id] = Mark.Visiting;
        int below = 0;
        switch (t.Kind)
        {
            case BtfKind.Ptr:
                below = Visit(t.Type, true, depth + 1);
                break;
            case BtfKind.Array:
                below = Visit(t.Array.ElemType, false, depth + 1);
                break;
            case BtfKind.Struct or BtfKind.Union:
                foreach (var m in t.Members)
                    below = Math.Max(below, Visit(m.Type, false, depth + 1));
                break;
            case BtfKind.Typedef or BtfKind.Const or BtfKind.Volatile or BtfKind.Restrict or BtfKind.TypeTag:
                below = Visit(t.Type, throughPointer, depth + 1);
                break;
            case BtfKind.FuncProto:
                below = Visit(t.Type, throughPointer, depth + 1);
                foreach (var p in t.Params)
                    below = Math.Max(below, Visit(p.Type, throughPointer, depth + 1));
                break;
        }
        if (below + 1 > MaxDepth)
            throw TooDeep(id);
        marks[id] = Mark.Done;
        _heights[slot][id] = below + 1;
        return below + 1;
    }

    private static BpfFormatException TooDeep(int id)
        => new($"btf_dump: type [{id}] is nested more than {MaxDepth} levels deep", Errno.E2BIG);
}
