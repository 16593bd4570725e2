using BpfHarness;
using BpfLoader.Btf;
using BpfLoader.Core;
using BpfLoader.Diagnostics;
using BpfLoader.Kernel;
using BpfLoader.Objects;
using NUnit.Framework;
using Shouldly;

namespace BpfTests.Core;

/// <summary>
/// CO-RE decisions against hand-built target BTFs (libbpf's btf_custom_path): patched values, poisoning,
/// ambiguity between candidates, flavors, and the vmlinux-then-modules candidate search.
/// </summary>
public class CoreSyntheticTests
{
    private static string WriteTarget(Action<BpfLoader.Btf.Btf> build)
    {
        var btf = BpfLoader.Btf.Btf.CreateEmpty();
        build(btf);
        string path = Path.Combine(Path.GetTempPath(), $"core-target-{Guid.NewGuid():N}.btf");
        File.WriteAllBytes(path, btf.ToBytes());
        return path;
    }

    // struct task_struct { int tgid; int pid; } — pid at byte 4 instead of the kernel's offset.
    private static void SmallTask(BpfLoader.Btf.Btf btf, string name = "task_struct", uint pidBits = 32)
    {
        int i = btf.FindOwnByName("int", BtfKind.Int) is > 0 and var found ? found : btf.AddInt("int", 4, BtfIntEncoding.Signed);
        btf.AddStruct(name, 8, [new("tgid", i, pidBits == 32 ? 0u : 32u), new("pid", i, pidBits)]);
    }

    private static IEnumerable<(AppliedCoreRelo Relo, string Spec)> Relos(BpfObject obj, string program)
        => obj.AppliedCoreRelos.Where(r => r.Program.Name == program)
            .Select(r => (r, CoreSpec.Parse(program, obj.Btf!, r.Relo, out var s) == 0 ? s.ToString() : ""));

    [Test]
    public void FieldOffsetsArePatchedFromTheTargetBtf()
    {
        string path = WriteTarget(b => SmallTask(b));
        try
        {
            using var obj = BpfObject.Open(Progs.Path("core"), new ObjectOpenOptions { BtfCustomPath = path });
            obj.Prepare();
            var prog = obj.Program("core_task");
            var pidOffsets = Relos(obj, "core_task").Where(r => r.Relo.Relo.Kind == BtfCoreReloKind.FieldByteOffset && r.Spec.Contains("struct task_struct.pid ")).ToList();
            pidOffsets.Count.ShouldBeGreaterThan(0);
            foreach (var (relo, spec) in pidOffsets)
                prog.Instructions[relo.InsnIndex].Imm.ShouldBe(4, spec);

            var exists = Relos(obj, "core_task").Single(r => r.Relo.Relo.Kind == BtfCoreReloKind.FieldExists && r.Spec.Contains("task_struct.pid"));
            prog.Instructions[exists.Relo.InsnIndex].Imm.ShouldBe(1);
            // real_parent is not in the target: the offset instruction becomes the "bad relo" call.
            var parent = Relos(obj, "core_task").First(r => r.Spec.Contains("task_struct.real_parent"));
            prog.Instructions[parent.Relo.InsnIndex].Imm.ShouldBe(PoisonedCall.CoreRelo);
            prog.Instructions[parent.Relo.InsnIndex].Code.ShouldBe((byte)0x85);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void CandidatesThatDisagreeOnTheOffsetAreRefused()
    {
        // task_struct has pid at byte 4, task_struct___v2 (same flavor-less name) at byte 0.
        string path = WriteTarget(b =>
        {
            SmallTask(b);
            int i = b.FindOwnByName("int", BtfKind.Int);
            b.AddStruct("task_struct___v2", 4, [new("pid", i, 0)]);
        });
        try
        {
            using var obj = BpfObject.Open(Progs.Path("core"), new ObjectOpenOptions { BtfCustomPath = path });
            LogCapture.Start().ShouldBe(0);
            var ex = Should.Throw<BpfException>(() => obj.Prepare());
            string log = LogCapture.Stop() ?? "";
            ex.Error.ShouldBe(-Errno.EINVAL);
            log.ShouldContain(": field offset ambiguity: 0 != 32\n");
            log.ShouldContain("libbpf: failed to perform CO-RE relocations: -EINVAL\n");
            log.ShouldContain("libbpf: prog 'core_task': relo #");
            log.ShouldNotContain("failed to load object", customMessage: "a prepare-phase failure prints no object line (v1.7)");
            obj.State.ShouldBe(ObjectState.Loaded);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void IncompatibleFieldTypeMakesTheCandidateNotMatch()
    {
        // pid as a struct instead of an int: fields are incompatible, so task_struct.pid reads are poisoned.
        string path = WriteTarget(b =>
        {
            int i = b.AddInt("int", 4, BtfIntEncoding.Signed);
            int inner = b.AddStruct("pid_box", 4, [new("v", i, 0)]);
            b.AddStruct("task_struct", 8, [new("tgid", i, 0), new("pid", inner, 32)]);
        });
        try
        {
            using var obj = BpfObject.Open(Progs.Path("core"), new ObjectOpenOptions { BtfCustomPath = path });
            obj.Prepare();
            var prog = obj.Program("core_task");
            var pid = Relos(obj, "core_task").First(r => r.Relo.Relo.Kind == BtfCoreReloKind.FieldByteOffset && r.Spec.Contains("struct task_struct.pid "));
            prog.Instructions[pid.Relo.InsnIndex].Imm.ShouldBe(PoisonedCall.CoreRelo);
            var exists = Relos(obj, "core_task").Single(r => r.Relo.Relo.Kind == BtfCoreReloKind.FieldExists && r.Spec.Contains("task_struct.pid"));
            prog.Instructions[exists.Relo.InsnIndex].Imm.ShouldBe(0, "an incompatible field does not exist for CO-RE");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void ModulesAreSearchedOnlyWhenVmlinuxHasNoCandidate()
    {
        var vmlinux = BpfLoader.Btf.Btf.CreateEmpty(sourceName: "fake-vmlinux");
        int vint = vmlinux.AddInt("int", 4, BtfIntEncoding.Signed);
        vmlinux.AddStruct("in_vmlinux", 4, [new("a", vint, 0)]);
        var module = BpfLoader.Btf.Btf.Parse(MakeModule(vmlinux), vmlinux, "fake-module");

        var local = BpfLoader.Btf.Btf.CreateEmpty();
        int lint = local.AddInt("int", 4, BtfIntEncoding.Signed);
        int modLocal = local.AddStruct("in_module___flavor", 4, [new("a", lint, 0)]);
        int vmLocal = local.AddStruct("in_vmlinux", 4, [new("a", lint, 0)]);

        int moduleCalls = 0;
        var targets = new CoreTargets(vmlinux, "vmlinux", () => { moduleCalls++; return [("fakemod", module)]; }, isOverride: false);

        CoreCandidates.Find(targets, local, vmLocal, out var fromVmlinux).ShouldBe(0);
        fromVmlinux.Select(c => (c.BtfName, c.Id)).ShouldBe([("vmlinux", vmlinux.FindByName("in_vmlinux", BtfKind.Struct))]);
        moduleCalls.ShouldBe(0, "vmlinux had a candidate");

        CoreCandidates.Find(targets, local, modLocal, out var fromModule).ShouldBe(0);
        fromModule.Select(c => (c.BtfName, c.Id)).ShouldBe([("fakemod", module.FindByName("in_module", BtfKind.Struct))]);
        moduleCalls.ShouldBe(1);

        var overridden = new CoreTargets(vmlinux, "vmlinux", () => [("fakemod", module)], isOverride: true);
        CoreCandidates.Find(overridden, local, modLocal, out var none).ShouldBe(0);
        none.ShouldBeEmpty("a custom target BTF replaces vmlinux and modules");
    }

    private static byte[] MakeModule(BpfLoader.Btf.Btf vmlinux)
    {
        var split = BpfLoader.Btf.Btf.CreateEmpty(vmlinux, "fake-module");
        split.AddStruct("in_module", 4, [new("a", vmlinux.FindByName("int", BtfKind.Int), 0)]);
        return split.ToBytes();
    }

    [TestCase("task_struct___old", "task_struct")]
    [TestCase("task_struct___old___x", "task_struct___old")]
    [TestCase("task_struct___", "task_struct___")]
    [TestCase("a____b", "a____b")]
    [TestCase("task_struct", "task_struct")]
    public void FlavorSuffixesAreStrippedLikeLibbpf(string name, string essential)
    {
        var bytes = System.Text.Encoding.ASCII.GetBytes(name);
        System.Text.Encoding.ASCII.GetString(bytes, 0, CoreNames.EssentialLength(bytes)).ShouldBe(essential);
    }
}
