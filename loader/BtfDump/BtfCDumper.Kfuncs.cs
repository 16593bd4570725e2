using BpfLoader.Btf;

namespace BpfLoader.BtfDump;

/// <summary>
/// The kfunc part of the header, as bpftool 7.8 writes it: the <c>__ksym</c>, <c>__weak</c> and
/// <c>__bpf_fastcall</c> macros after the opening pragma, and before the closing one a
/// <c>BPF_NO_KFUNC_PROTOTYPES</c>-guarded block with one <c>extern PROTOTYPE __weak __ksym;</c> per FUNC that a
/// <c>bpf_kfunc</c> decl tag marks, in decl-tag id order (the block is written even when empty). A FUNC that is
/// also tagged <c>bpf_fastcall</c> gets <c>__bpf_fastcall</c> before its return type. BPF tools that include
/// vmlinux.h call kfuncs through these declarations.
/// </summary>
public sealed partial class BtfCDumper
{
    private const string KfuncMacros = """
        #ifndef __ksym
        #define __ksym __attribute__((section(".ksyms")))
        #endif

        #ifndef __weak
        #define __weak __attribute__((weak))
        #endif

        #ifndef __bpf_fastcall
        #if __has_attribute(bpf_fastcall)
        #define __bpf_fastcall __attribute__((bpf_fastcall))
        #else
        #define __bpf_fastcall
        #endif
        #endif


        """;

    private void EmitKfuncPrototypes()
    {
        _w.Write("\n/* BPF kfuncs */\n#ifndef BPF_NO_KFUNC_PROTOTYPES\n");
        var fastcall = TaggedFuncs("bpf_fastcall").ToHashSet();
        foreach (int func in TaggedFuncs("bpf_kfunc"))
        {
            var f = _btf[func];
            string prototype = Declaration(f.Type, f.Name, 0);
            _w.Write(fastcall.Contains(func) ? $"extern __bpf_fastcall {prototype} __weak __ksym;\n" : $"extern {prototype} __weak __ksym;\n");
        }
        _w.Write("#endif\n\n");
    }

    // The FUNCs that a whole-declaration decl tag (component_idx -1) named <paramref name="tag"/> points at, in tag order.
    private IEnumerable<int> TaggedFuncs(string tag)
    {
        for (int id = _btf.StartId; id <= _btf.LastId; id++)
        {
            var t = _btf[id];
            if (t.Kind == BtfKind.DeclTag && t.DeclTagComponentIndex == -1 && t.Name == tag && _btf[t.Type].Kind == BtfKind.Func
                && _btf[_btf[t.Type].Type].Kind == BtfKind.FuncProto)
                yield return t.Type;
        }
    }
}
