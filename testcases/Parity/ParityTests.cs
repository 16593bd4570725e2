using BpfHarness.Gates;
using BpfLoader.Diagnostics;
using NUnit.Framework;
using Shouldly;

namespace BpfTests.Parity;

/// <summary>
/// Open-time parity with libbpf 1.7 (issue 14): every fixture of progs/parity — and variants derived from them
/// where clang cannot produce the input — is opened (and, for the attach-target cases, loaded) by our loader and
/// by libbpf 1.7 in the same test. The outcome, the errno, the programs and maps found and every WARN message
/// must be the same, unless the case is listed in <see cref="AllowedGaps"/> with a reason. Whatever the gaps,
/// an object libbpf refuses at open is never accepted here.
/// </summary>
[NonParallelizable]
public class ParityTests
{
    /// <summary>case name → why our decision may differ from libbpf 1.7's. A gap that closes fails the test.</summary>
    internal static readonly Dictionary<string, string> AllowedGaps = new()
    {
        ["foreign_machine"] = "the ELF header checks (ElfFile.Parse) name the object, not the path, and say why "
            + "(e_machine 62, expected 247) with -EINVAL; libbpf says 'elf: PATH is not a valid eBPF object file' with "
            + "-LIBBPF_ERRNO__FORMAT (-4001). Same refusal at the same step; the words differ.",
    };

    private static readonly Lazy<(LibbpfReference? Reference, string? Exe, string Why)> Reference = new(() =>
    {
        var reference = LibbpfReference.Locate();
        if (reference is null)
            return (null, null, LibbpfReference.MissingReason);
        var exe = reference.Build(Path.Combine(AppContext.BaseDirectory, "Parity", "libbpf_open.c"), out var diagnostics);
        return (reference, exe, exe is null ? "libbpf_open.c does not build against libbpf 1.7: " + diagnostics : "");
    });

    public static IEnumerable<ParityCase> Cases() =>
    [
        new("legacy_maps", "legacy_maps"),
        new("static_prog", "static_prog"),
        new("unknown_section", "unknown_section"),
        new("unknown_section_load", "unknown_section", Load: true),
        new("map_attrs", "map_attrs"),
        new("map_enum_type", "map_enum_type"),
        new("map_unknown_field", "map_unknown_field"),
        new("map_not_struct", "map_not_struct"),
        new("map_no_type", "map_no_type"),
        new("map_bad_pinning", "map_bad_pinning"),
        new("map_key_conflict", "map_key_conflict"),
        new("map_values_not_mim", "map_values_not_mim"),
        new("map_inner_nested", "map_inner_nested"),
        new("custom_data", "custom_data"),
        new("extern_kconfig_type", "extern_kconfig_type"),
        new("extern_ksym_missing", "extern_ksym_var", Load: true),
        new("text_only", "text_only"),
        new("bad_version", "bad_version"),
        new("plain", "plain"),
        new("dup_names", "dup_names", Variant: b => ElfEdit.Rename(b, "parity_dup_b", "parity_dup_a")),
        new("no_btf", "plain", ObjcopyArgs: ["--remove-section=.BTF", "--remove-section=.BTF.ext", "--remove-section=.rel.BTF", "--remove-section=.rel.BTF.ext"]),
        new("no_btf_no_maps", "text_only", ObjcopyArgs: ["--remove-section=.BTF", "--remove-section=.BTF.ext", "--remove-section=.rel.BTF", "--remove-section=.rel.BTF.ext"]),
        new("no_symtab", "plain", ObjcopyArgs: ["--strip-all"]),
        new("no_license", "no_license"),
        new("btf_bad_magic", "plain", Variant: b => ElfEdit.Poke(b, ".BTF", 0, [0, 0])),
        new("btf_bad_magic_no_maps", "text_only", Variant: b => ElfEdit.Poke(b, ".BTF", 0, [0, 0])),
        new("btf_ext_bad_magic", "plain", Variant: b => ElfEdit.Poke(b, ".BTF.ext", 0, [0, 0])),
        new("btf_ext_bad_magic_no_maps", "text_only", Variant: b => ElfEdit.Poke(b, ".BTF.ext", 0, [0, 0])),
        new("foreign_machine", "plain", Variant: b => ElfEdit.Machine(b, 62)),
        new("prog_section_not_exec", "plain", Variant: b => ElfEdit.ClearExec(b, "xdp")),
        new("rodata_exec", "plain", Variant: b => ElfEdit.SetExec(b, ".rodata")),
        new("freplace_no_target_fd", "targets", Load: true, Only: "freplace_no_fd"),
        new("fentry_no_target", "targets", Load: true, Only: "fentry_bare"),
        new("fentry_unresolved", "targets", Load: true, Only: "fentry_unresolved"),
        new("fexit_unresolved", "targets", Load: true, Only: "fexit_unresolved"),
        new("fmod_ret_unresolved", "targets", Load: true, Only: "fmod_ret_unresolved"),
        new("lsm_unresolved", "targets", Load: true, Only: "lsm_unresolved"),
        new("iter_unresolved", "targets", Load: true, Only: "iter_unresolved"),
    ];

    [TestCaseSource(nameof(Cases))]
    public void SameOpenDecisionAsLibbpf17(ParityCase c)
    {
        var (reference, exe, why) = Reference.Value;
        Gate.RequireFeature(exe is not null, "libbpf 1.7 reference", why);
        string dir = Directory.CreateTempSubdirectory("bpftests-parity-").FullName;
        try
        {
            string path = c.Materialize(dir);
            string[] args = [.. c.Load ? ["--load"] : Array.Empty<string>(), .. c.Only is null ? [] : new[] { "--only", c.Only }, path];
            var (code, output) = reference!.Execute(exe!, args);
            code.ShouldBe(0, output);
            var theirs = OpenReport.Parse(output);
            var ours = OpenReport.Ours(path, c.Load, c.Only);
            TestContext.Out.WriteLine($"libbpf 1.7:\n{theirs}\n\nours:\n{ours}");

            if (theirs.Open != 0)
                (ours.Open != 0 || (ours.Load ?? 0) != 0).ShouldBeTrue($"libbpf 1.7 refuses {c.Name} at open ({Errno.Str(-theirs.Open)}); we must not accept it");

            var differences = Differences(theirs, ours).ToList();
            if (AllowedGaps.TryGetValue(c.Name, out var reason))
            {
                differences.ShouldNotBeEmpty($"{c.Name} now agrees with libbpf 1.7: remove its allowed gap ({reason})");
                TestContext.Out.WriteLine($"allowed gap {c.Name}: {reason}\n{string.Join('\n', differences)}");
                return;
            }
            differences.ShouldBeEmpty();
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    private static IEnumerable<string> Differences(OpenReport theirs, OpenReport ours)
    {
        if (theirs.Open != ours.Open)
            yield return $"open: libbpf {theirs.Open}, ours {ours.Open}";
        if (theirs.Load != ours.Load)
            yield return $"load: libbpf {theirs.Load}, ours {ours.Load}";
        foreach (var (what, a, b) in new[] { ("prog", theirs.Programs, ours.Programs), ("map", theirs.Maps, ours.Maps), ("warn", theirs.Warnings, ours.Warnings) })
            if (!a.SequenceEqual(b))
                yield return $"{what}:\n  libbpf: {string.Join("\n          ", a)}\n  ours:   {string.Join("\n          ", b)}";
    }
}
