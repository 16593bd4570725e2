using System.Diagnostics;
using System.Text;
using BpfLoader.Btf;
using KernelBtf = BpfLoader.Btf.Btf;
using BpfLoader.Cli;
using NUnit.Framework;
using Shouldly;

namespace BpfTests.Cli;

/// <summary>The bpftool-style command line on every object in progs/ and on the kernel's BTF.</summary>
[NonParallelizable]
public class CliTests
{
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = CommandLine.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    private static (int Code, string Out) Tool(string file, string args, string? stdinText = null)
    {
        var psi = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = stdinText is not null };
        using var p = Process.Start(psi)!;
        if (stdinText is not null)
        {
            p.StandardInput.Write(stdinText);
            p.StandardInput.Close();
        }
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit(300_000).ShouldBeTrue($"{file} {args} finished");
        return (p.ExitCode, stdout.Result + stderr.Result);
    }

    public static IEnumerable<string> Objects() => Progs.All().Select(Path.GetFileName)!;

    [TestCaseSource(nameof(Objects))]
    public void ObjectShowListsEveryMapAndProgram(string file)
    {
        string path = Path.Combine(Progs.Directory, file);
        var (code, output, error) = Run("object", "show", path);
        code.ShouldBe(0, error);
        using var obj = BpfLoader.Objects.BpfObject.Open(path);
        output.ShouldContain($"maps: {obj.Maps.Count}\n");
        output.ShouldContain($"programs: {obj.Programs.Count}\n");
        foreach (var m in obj.Maps)
            output.ShouldContain($"  {m.Name} ");
        foreach (var p in obj.Programs)
            output.ShouldContain($"  {p.Name} ");
    }

    [TestCaseSource(nameof(Objects))]
    public void ProgLoadAllReportsEachProgramWithAReason(string file)
    {
        string path = Path.Combine(Progs.Directory, file);
        // Objects with pinned maps pin under /sys/fs/bpf: remove what this test created.
        var pinsBefore = Directory.Exists("/sys/fs/bpf") ? Directory.GetFileSystemEntries("/sys/fs/bpf").ToHashSet() : [];
        (int, string, string) result;
        try
        {
            result = Run("prog", "loadall", path);
        }
        finally
        {
            if (Directory.Exists("/sys/fs/bpf"))
            {
                foreach (var pin in Directory.GetFileSystemEntries("/sys/fs/bpf").Where(p => !pinsBefore.Contains(p)))
                    File.Delete(pin);
            }
        }
        var (code, output, error) = result;
        using var obj = BpfLoader.Objects.BpfObject.Open(path);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBe(obj.Programs.Count, output + error);
        for (int i = 0; i < lines.Length; i++)
        {
            lines[i].ShouldStartWith($"{obj.Programs[i].Name}: ");
            if (!lines[i].EndsWith(": loaded", StringComparison.Ordinal))
                lines[i].ShouldMatch(@"^\S+: failed -?[A-Z0-9]+: .+", "a failure names the errno and a reason");
        }
        code.ShouldBe(lines.All(l => l.EndsWith(": loaded", StringComparison.Ordinal)) ? 0 : 1);
    }

    [Test]
    public void ProgLoadAllNamesTheVerifierOrLoaderReason()
    {
        var (_, output, _) = Run("prog", "loadall", Progs.Path("externs"));
        output.ShouldContain("read_externs: loaded\n");
        output.ShouldContain("call_missing_kfunc: failed -EINVAL: kfunc 'bpftests_no_such_kfunc' is referenced but wasn't resolved\n");
        (_, output, _) = Run("prog", "loadall", Progs.Path("externs_config"));
        output.ShouldBe("read_config: failed -ESRCH: extern 'CONFIG_BPFTESTS_NUMBER' (strong): not resolved\n");
    }

    [Test]
    public void ProgLoadAllReportsTheFinalErrorNotTheRetryWarning()
    {
        // Every kernel refuses a hash map without entries, with BTF and again without: libbpf 1.7 warns
        // "Error in bpf_create_map_xattr(no_entries): -EINVAL. Retrying without BTF." first, then the real failure.
        var (code, output, error) = Run("prog", "loadall", Progs.Path("map_create_fails"));
        code.ShouldBe(1, error);
        output.ShouldBe("uses_no_entries: failed -EINVAL: map 'no_entries': failed to create: -EINVAL\n");
        ProgLoadAllCommand.FinalReason([
            "libbpf: Error in bpf_create_map_xattr(no_entries): -EINVAL. Retrying without BTF.",
            "libbpf: map 'no_entries': failed to create: -EINVAL",
            "libbpf: failed to load object 'map_create_fails'",
        ]).ShouldBe("map 'no_entries': failed to create: -EINVAL");
    }

    [Test]
    public void ProgLoadAllTakesSeveralFilesAndNamesEachOnItsLines()
    {
        string minimal = Progs.Path("minimal"), fails = Progs.Path("map_create_fails"), missing = Path.Combine(Progs.Directory, "no_such.bpf.o");
        var (code, output, error) = Run("prog", "loadall", minimal, fails, missing, "log");
        code.ShouldBe(1, error);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBe(3, output);
        lines[0].ShouldBe($"{minimal}: count_syscalls: loaded");
        lines[1].ShouldBe($"{fails}: uses_no_entries: failed -EINVAL: map 'no_entries': failed to create: -EINVAL");
        lines[2].ShouldStartWith($"{missing}: failed -ENOENT: ", Case.Sensitive, "a file that does not open is reported and the others still load");
        (code, output, error) = Run("prog", "loadall", "file", minimal);
        code.ShouldBe(0, error);
        output.ShouldBe("count_syscalls: loaded\n", "one file: the lines carry no file name, as before");
    }

    [Test]
    public void BtfDumpRawOfAnObjectMatchesBpftool()
    {
        string path = Progs.Path("core");
        var (code, output, error) = Run("btf", "dump", "file", path, "format", "raw");
        code.ShouldBe(0, error);
        var (toolCode, expected) = Tool("bpftool", $"btf dump file {path} format raw");
        toolCode.ShouldBe(0, expected);
        output.ShouldBe(expected);
    }

    [Test]
    public void BtfDumpRawOfVmlinuxMatchesBpftool()
    {
        var (code, output, _) = Run("b", "d", "f", KernelBtf.VmlinuxPath);   // bpftool-style prefixes
        code.ShouldBe(0);
        var (toolCode, expected) = Tool("bpftool", $"btf dump file {KernelBtf.VmlinuxPath}");
        toolCode.ShouldBe(0);
        (output == expected).ShouldBeTrue("raw dump of vmlinux is identical to bpftool's");
    }

    [Test]
    public void BtfDumpCOfVmlinuxCompilesWithTheKernelsLayout()
    {
        var (code, header, error) = Run("btf", "dump", "file", KernelBtf.VmlinuxPath, "format", "c");
        code.ShouldBe(0, error);
        string dir = Directory.CreateTempSubdirectory("bpftests-vmlinux-h").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "vmlinux.h"), header);
            // Every uniquely named struct's size and member offsets, as compile-time assertions against the BTF.
            var vmlinux = KernelBtf.KernelVmlinux;
            var names = new Dictionary<string, int>();
            for (int id = 1; id <= vmlinux.LastId; id++)
            {
                var t = vmlinux[id];
                // Struct, union and enum tags share one C namespace: a repeated tag is emitted as name___2.
                if (t.Kind is BtfKind.Struct or BtfKind.Union or BtfKind.Enum or BtfKind.Enum64 && t.NameOffset != 0)
                    names[t.Name] = names.ContainsKey(t.Name) || t.Kind is BtfKind.Enum or BtfKind.Enum64 ? -1 : id;
            }
            var checks = new StringBuilder("#define BPF_NO_PRESERVE_ACCESS_INDEX\n#include \"vmlinux.h\"\n");
            int asserts = 0;
            foreach (var (name, id) in names)
            {
                // __builtin_va_list is the compiler's (8 bytes for BPF, 24 in the x86 kernel): bpftool's header differs there too.
                if (id < 0 || ContainsVaList(vmlinux, id, 0))
                    continue;
                var t = vmlinux[id];
                string tag = t.Kind == BtfKind.Struct ? "struct" : "union";
                checks.Append($"_Static_assert(sizeof({tag} {name}) == {t.Size}, \"size {name}\");\n");
                asserts++;
                foreach (var m in t.Members)
                {
                    if (m.BitfieldSize != 0 || m.NameOffset == 0 || m.BitOffset % 8 != 0)
                        continue;
                    checks.Append($"_Static_assert(__builtin_offsetof({tag} {name}, {m.Name}) == {m.BitOffset / 8}, \"{name}.{m.Name}\");\n");
                    asserts++;
                }
            }
            asserts.ShouldBeGreaterThan(10_000);
            File.WriteAllText(Path.Combine(dir, "layout.c"), checks.ToString());
            // Kernels built with -fms-extensions (7.x) embed named structs as anonymous members
            // ("struct aes_enckey;" inside a struct); their vmlinux.h needs the same flags as the kernel.
            var (cc, ccOut) = Tool("clang-19", $"-target bpf -O2 -fms-extensions -fsyntax-only -ferror-limit=0 -I{dir} {dir}/layout.c");
            cc.ShouldBe(0, ccOut);

            // And a real CO-RE program builds against it.
            var (cc2, cc2Out) = Tool("clang-19", $"-target bpf -g -O2 -fms-extensions -Wno-microsoft-anon-tag -Wall -Werror -D__TARGET_ARCH_x86 -I{dir} -idirafter /usr/include/x86_64-linux-gnu "
                + $"-c {Progs.Source("core")} -o {dir}/core.o");
            cc2.ShouldBe(0, cc2Out);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static bool ContainsVaList(KernelBtf btf, int id, int depth)
    {
        if (depth > 16)
            return false;
        var t = btf[id];
        return t.Kind switch
        {
            BtfKind.Typedef => t.Name == "__builtin_va_list" || ContainsVaList(btf, t.Type, depth + 1),
            BtfKind.Const or BtfKind.Volatile or BtfKind.Restrict or BtfKind.TypeTag => ContainsVaList(btf, t.Type, depth + 1),
            BtfKind.Array => ContainsVaList(btf, t.Array.ElemType, depth + 1),
            BtfKind.Struct or BtfKind.Union => t.Members.Any(m => ContainsVaList(btf, m.Type, depth + 1)),
            _ => false,
        };
    }

    [Test]
    public void UsageErrorsExitWith64()
    {
        Run().Code.ShouldBe(CommandLine.Usage);
        var (code, _, error) = Run("map", "show");
        code.ShouldBe(CommandLine.Usage);
        error.ShouldContain("unknown 'map'");
        Run("btf", "dump", "file", KernelBtf.VmlinuxPath, "format", "json").Code.ShouldBe(CommandLine.Usage);
        var missing = Run("object", "show", "/nonexistent.bpf.o");
        missing.Code.ShouldBe(CommandLine.Failed);
        missing.Err.ShouldContain("/nonexistent.bpf.o");
    }
}
