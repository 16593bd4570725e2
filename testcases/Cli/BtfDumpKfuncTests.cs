using BpfHarness.Gates;
using BpfLoader.Cli;
using BpfTests.Parity;
using NUnit.Framework;
using Shouldly;
using KernelBtf = BpfLoader.Btf.Btf;

namespace BpfTests.Cli;

/// <summary>
/// <c>btf dump file X format c</c> declares kfuncs as bpftool 7.8 does: the <c>__ksym</c>/<c>__weak</c>/<c>__bpf_fastcall</c>
/// macros after the opening pragma and the <c>BPF_NO_KFUNC_PROTOTYPES</c> block of <c>extern ... __weak __ksym;</c>
/// lines before the closing one, compared line for line with bpftool 7.8 (the libbpf 1.7 reference) on the running
/// kernel's vmlinux BTF and on an object without kfuncs (whose block is empty). The type definitions in between
/// are our own ordering and are not compared here.
/// </summary>
[NonParallelizable]
public class BtfDumpKfuncTests
{
    private const string KfuncBlockStart = "/* BPF kfuncs */";

    [TestCase(KernelBtf.VmlinuxPath)]
    [TestCase("externs")]
    public void KfuncPrototypesAndTheirGuardsMatchBpftool78(string input)
    {
        string path = input.StartsWith('/') ? input : Progs.Path(input);
        var reference = LibbpfReference.Locate();
        Gate.RequireFeature(reference is not null, "libbpf 1.7 reference (bpftool 7.8)", LibbpfReference.MissingReason);
        var (toolCode, expected) = reference!.Execute(Path.Combine(reference.Root, "usr", "sbin", "bpftool"), ["btf", "dump", "file", path, "format", "c"]);
        toolCode.ShouldBe(0, expected);

        var output = new StringWriter();
        var error = new StringWriter();
        CommandLine.Run(["btf", "dump", "file", path, "format", "c"], output, error).ShouldBe(0, error.ToString());
        string ours = output.ToString();

        Header(ours).ShouldBe(Header(expected));
        const string trailer = "#endif\n\n#ifndef BPF_NO_PRESERVE_ACCESS_INDEX\n#pragma clang attribute pop\n#endif\n\n#endif /* __VMLINUX_H__ */\n";
        expected.ShouldContain(KfuncBlockStart);
        ours.ShouldEndWith(trailer);
        expected.ShouldContain(trailer);
        var kfuncs = KfuncBlock(ours);
        kfuncs.ShouldBe(KfuncBlock(expected));
        // Only a kernel built with pahole's decl_tag_kfuncs has "bpf_kfunc" tags (Debian's 6.1 and 6.12 do not): there
        // both sides print an empty block, which the comparison above already checked.
        if (path == KernelBtf.VmlinuxPath)
            kfuncs.Count(l => l.EndsWith(" __weak __ksym;", StringComparison.Ordinal)).ShouldBe(KfuncTagCount(KernelBtf.KernelVmlinux), "one prototype per tagged kfunc");
        else
            kfuncs.ShouldBe([KfuncBlockStart, "#ifndef BPF_NO_KFUNC_PROTOTYPES", "#endif"]);
    }

    // Everything before the first type: include guard, pragma, the kfunc macros.
    // Distinct functions carrying a "bpf_kfunc" decl tag.
    private static int KfuncTagCount(KernelBtf btf)
    {
        var functions = new HashSet<int>();
        for (int id = 1; id <= btf.LastId; id++)
        {
            var t = btf[id];
            if (t.Kind == BpfLoader.Btf.BtfKind.DeclTag && t.Name == "bpf_kfunc")
                functions.Add(t.Type);
        }
        return functions.Count;
    }

    private static string[] Header(string dump)
        => dump.Split('\n').TakeWhile(l => !l.StartsWith("struct ", StringComparison.Ordinal) && !l.StartsWith("enum ", StringComparison.Ordinal)
            && !l.StartsWith("typedef ", StringComparison.Ordinal) && !l.StartsWith("union ", StringComparison.Ordinal)).ToArray();

    // From "/* BPF kfuncs */" to its #endif, then the closing pragma and include guard.
    private static string[] KfuncBlock(string dump)
    {
        var lines = dump.Split('\n');
        int start = Array.IndexOf(lines, KfuncBlockStart);
        start.ShouldBeGreaterThanOrEqualTo(0, "the dump has a kfunc block");
        int end = Array.IndexOf(lines, "#endif", start);
        return lines[start..(end + 1)];
    }
}
