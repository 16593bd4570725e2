using System.Runtime.InteropServices;
using BpfHarness;
using BpfLoader.Diagnostics;
using BpfLoader.Interop;
using BpfLoader.Objects;
using NUnit.Framework;
using Shouldly;

namespace BpfTests.Externs;

/// <summary>__kconfig and __ksym externs and kfunc calls, resolved by our loader and checked by running the program.</summary>
[NonParallelizable]
public partial class ExternTests
{


    /// <summary>A line of the running kernel's config: /proc/config.gz, else /boot/config-$(uname -r) (Debian kernels).</summary>
    private static string? SystemConfigLine(string option)
    {
        using var reader = File.Exists("/proc/config.gz")
            ? new StreamReader(new System.IO.Compression.GZipStream(File.OpenRead("/proc/config.gz"), System.IO.Compression.CompressionMode.Decompress))
            : new StreamReader($"/boot/config-{File.ReadAllText("/proc/sys/kernel/osrelease").Trim()}");
        for (string? line; (line = reader.ReadLine()) is not null;)
        {
            if (line.StartsWith(option + "=", StringComparison.Ordinal))
                return line[(option.Length + 1)..];
        }
        return null;
    }

    [Test]
    public void KconfigKsymsAndKfuncsResolveToWhatTheKernelHas()
    {
        BpfHarness.Gates.Gate.RequireFeature(File.Exists("/proc/config.gz") || File.Exists($"/boot/config-{File.ReadAllText("/proc/sys/kernel/osrelease").Trim()}"),
            "kernel config", "__kconfig externs need /proc/config.gz or /boot/config-$(uname -r)");
        using var obj = BpfObject.Open(Progs.Path("externs"));
        ObjectGlobals.Set(obj, "target_tid", Native.GetTid());
        obj.Load();
        obj.Map(".kconfig").IsReadOnlyData.ShouldBeTrue("the .kconfig map is read-only for programs, like .rodata");
        using (obj.Program("read_externs").Attach())
            Native.GetPgid(0);
        ObjectGlobals.Get<uint>(obj, "ran").ShouldBeGreaterThan(0u);

        // "6.12.95+deb12-cloud-amd64": the three leading numbers.
        var release = System.Text.RegularExpressions.Regex.Match(File.ReadAllText("/proc/sys/kernel/osrelease"), @"^(\d+)\.(\d+)\.(\d+)");
        uint Part(int i) => uint.Parse(release.Groups[i].Value, System.Globalization.CultureInfo.InvariantCulture);
        uint expected = (Part(1) << 16) + (Part(2) << 8) + Math.Min(Part(3), 255u);
        ObjectGlobals.Get<uint>(obj, "kernel_version").ShouldBe(expected, "LINUX_KERNEL_VERSION");
        ObjectGlobals.Get<uint>(obj, "has_cookie").ShouldBe(1u, "LINUX_HAS_BPF_COOKIE on a 6.x kernel");
        ObjectGlobals.Get<uint>(obj, "bpf_syscall").ShouldBe(SystemConfigLine("CONFIG_BPF_SYSCALL") == "y" ? 1u : 0u);
        ObjectGlobals.Get<uint>(obj, "bpf_jit").ShouldBe(SystemConfigLine("CONFIG_BPF_JIT") switch { "y" => 1u, "m" => 2u, _ => 0u });
        ObjectGlobals.Get<int>(obj, "hz").ShouldBe(int.Parse(SystemConfigLine("CONFIG_HZ") ?? "0"));
        ObjectGlobals.GetString(obj, "hostname").ShouldBe((SystemConfigLine("CONFIG_DEFAULT_HOSTNAME") ?? "\"\"").Trim('"'));
        ObjectGlobals.Get<uint>(obj, "no_such_option").ShouldBe(0u, "a weak missing option is zero");

        ulong stext = ulong.Parse(File.ReadLines("/proc/kallsyms").First(l => l.EndsWith(" _stext", StringComparison.Ordinal)).Split(' ')[0],
            System.Globalization.NumberStyles.HexNumber);
        ObjectGlobals.Get<ulong>(obj, "stext").ShouldBe(stext, "untyped ksym address from /proc/kallsyms");
        ObjectGlobals.Get<ulong>(obj, "missing_ksym").ShouldBe(0ul, "a weak missing ksym is NULL");
        bool hasAcquire = BpfLoader.Btf.Btf.KernelVmlinux.FindByName("bpf_task_acquire", BpfLoader.Btf.BtfKind.Func) > 0;
        ObjectGlobals.Get<int>(obj, "acquired_pid").ShouldBe(hasAcquire ? Native.GetTid() : 0,
            hasAcquire ? "bpf_task_acquire (kfunc) returned the current task" : "the kernel (< 6.2) has no bpf_task_acquire: the weak call is skipped");
        ObjectGlobals.Get<uint>(obj, "kfunc_missing_exists").ShouldBe(0u);
    }

    [Test]
    public void TypedPerCpuKsymsReadTheRunqueue()
    {
        // The verifier finds a typed ksym's address through kallsyms, which lists data only with CONFIG_KALLSYMS_ALL.
        BpfHarness.Gates.Gate.RequireFeature(File.ReadLines("/proc/kallsyms").Any(l => l.EndsWith(" runqueues", StringComparison.Ordinal)),
            "CONFIG_KALLSYMS_ALL", "typed __ksym data symbols need kallsyms entries for variables");
        using var obj = BpfObject.Open(Progs.Path("externs"));
        foreach (var p in obj.Programs)
            p.AutoLoad = p.Name == "read_percpu_ksyms";
        ObjectGlobals.Set(obj, "target_tid", Native.GetTid());
        obj.Load();
        using (obj.Program("read_percpu_ksyms").Attach())
            Native.GetPgid(0);
        ObjectGlobals.Get<int>(obj, "rq_cpu").ShouldBeInRange(0, Environment.ProcessorCount - 1, "runqueues (typed per-CPU ksym)->cpu");
        ObjectGlobals.Get<int>(obj, "prog_active").ShouldBeGreaterThanOrEqualTo(0);
    }

    [Test]
    public void TypedKsymsResolveToKernelBtfVars()
    {
        // Independent of kallsyms: the ld_imm64 of each typed ksym names the kernel BTF VAR (BPF_PSEUDO_BTF_ID).
        using var obj = BpfObject.Open(Progs.Path("externs"));
        foreach (var p in obj.Programs)
            p.AutoLoad = p.Name == "read_percpu_ksyms";
        ObjectGlobals.Set(obj, "target_tid", Native.GetTid());
        obj.Prepare();
        var externs = BpfLoader.Externs.ObjectExterns.Of(obj);
        var vmlinux = BpfLoader.Btf.Btf.KernelVmlinux;
        foreach (var name in new[] { "runqueues", "bpf_prog_active" })
        {
            var ext = externs.ByName(name).ShouldNotBeNull();
            ext.IsSet.ShouldBeTrue();
            ext.KernelBtfId.ShouldBe(vmlinux.FindByName(name, BpfLoader.Btf.BtfKind.Var));
            ext.KernelBtfObjFd.ShouldBe(0, "vmlinux, not a module");
        }
        var kfunc = externs.ByName("bpf_task_acquire").ShouldNotBeNull();
        int acquire = vmlinux.FindByName("bpf_task_acquire", BpfLoader.Btf.BtfKind.Func);
        kfunc.KernelBtfId.ShouldBe(acquire > 0 ? acquire : 0, "the kfunc's BTF id, or 0 for a weak kfunc the kernel (< 6.2) lacks");
        kfunc.IsSet.ShouldBe(acquire > 0);
        externs.ByName("bpftests_no_such_kfunc").ShouldNotBeNull().IsSet.ShouldBeFalse("weak and absent");
    }

    [Test]
    public void UnresolvedWeakKfuncCallIsPoisonedAndExplained()
    {
        using var obj = BpfObject.Open(Progs.Path("externs"));
        foreach (var p in obj.Programs)
            p.AutoLoad = p.Name == "call_missing_kfunc";
        LogCapture.Start().ShouldBe(0);
        var ex = Should.Throw<BpfException>(() => obj.Load());
        string log = LogCapture.Stop() ?? "";
        ex.Error.ShouldBe(-Errno.EINVAL);
        log.ShouldContain(": <invalid kfunc call>\nkfunc 'bpftests_no_such_kfunc' is referenced but wasn't resolved\n");
        log.ShouldContain("libbpf: prog 'call_missing_kfunc': failed to load: -EINVAL");
    }

    [Test]
    public void MissingStrongKconfigFailsWithLibbpfMessage()
    {
        using var obj = BpfObject.Open(Progs.Path("externs_config"));
        LogCapture.Start().ShouldBe(0);
        var ex = Should.Throw<BpfException>(() => obj.Load());
        string log = LogCapture.Stop() ?? "";
        ex.Error.ShouldBe(-Errno.ESRCH);
        log.ShouldContain("libbpf: extern 'CONFIG_BPFTESTS_NUMBER' (strong): not resolved\n");
    }

    private static void RunConfig(ObjectOpenOptions options, Action<BpfObject> check)
    {
        using var obj = BpfObject.Open(Progs.Path("externs_config"), options);
        obj.Load();
        obj.Program("read_config").TestRun(context: new byte[8], repeat: 0, dataOutSize: 0);   // SEC("syscall"): a context, no packet
        check(obj);
    }

    [Test]
    public void ExtraKconfigTextSuppliesValuesOfEveryType()
    {
        var options = new ObjectOpenOptions
        {
            Kconfig = "CONFIG_BPFTESTS_NUMBER=-42\nCONFIG_BPFTESTS_BOOL=y\nCONFIG_BPFTESTS_TRISTATE=m\nCONFIG_BPFTESTS_CHAR=n\n"
                + "CONFIG_BPFTESTS_STRING=\"abcdefghij\"\nCONFIG_BPFTESTS_HEX=0xdeadbeef\n",
        };
        LogCapture.Start().ShouldBe(0);
        RunConfig(options, obj =>
        {
            ObjectGlobals.Get<long>(obj, "number").ShouldBe(-42);
            ObjectGlobals.Get<uint>(obj, "boolean").ShouldBe(1u);
            ObjectGlobals.Get<uint>(obj, "tristate").ShouldBe(2u, "TRI_MODULE");
            ObjectGlobals.Get<uint>(obj, "chr").ShouldBe((uint)'n', "a char extern takes the letter");
            ObjectGlobals.GetString(obj, "string").ShouldBe("abcdefg", "truncated to the array size minus NUL");
            ObjectGlobals.Get<long>(obj, "hex").ShouldBe(0xdeadbeef);
        });
        (LogCapture.Stop() ?? "").ShouldContain("libbpf: extern (kcfg) 'CONFIG_BPFTESTS_STRING': long string '\"abcdefghij\"' of (10 bytes) truncated to 7 bytes\n");
    }

    [Test]
    public void KconfigFileOverridesTheSystemConfig()
    {
        string path = Path.Combine(Path.GetTempPath(), $"bpftests-kconfig-{Guid.NewGuid():N}");
        File.WriteAllText(path, "# comment\nCONFIG_BPFTESTS_NUMBER=7\nCONFIG_BPFTESTS_BOOL=n\n");
        try
        {
            RunConfig(new ObjectOpenOptions { KconfigPath = path }, obj =>
            {
                ObjectGlobals.Get<long>(obj, "number").ShouldBe(7);
                ObjectGlobals.Get<uint>(obj, "boolean").ShouldBe(0u);
                ObjectGlobals.Get<uint>(obj, "tristate").ShouldBe(0u, "weak and absent");
            });
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestCase("CONFIG_BPFTESTS_NUMBER=y", "libbpf: extern (kcfg) 'CONFIG_BPFTESTS_NUMBER': value 'y' implies bool, tristate, or char type\n")]
    [TestCase("CONFIG_BPFTESTS_NUMBER=\"x\"", "libbpf: extern (kcfg) 'CONFIG_BPFTESTS_NUMBER': value '\"x\"' implies char array type\n")]
    [TestCase("CONFIG_BPFTESTS_NUMBER=12x", "libbpf: extern (kcfg) 'CONFIG_BPFTESTS_NUMBER': value '12x' isn't a valid integer\n")]
    [TestCase("CONFIG_BPFTESTS_NUMBER=4294967296", "libbpf: extern (kcfg) 'CONFIG_BPFTESTS_NUMBER': value '4294967296' doesn't fit in 4 bytes\n")]
    [TestCase("CONFIG_BPFTESTS_BOOL=m\nCONFIG_BPFTESTS_NUMBER=1", "libbpf: extern (kcfg) 'CONFIG_BPFTESTS_BOOL': value 'm' implies tristate or char type\n")]
    public void BadKconfigValuesAreRefusedLikeLibbpf(string kconfig, string message)
    {
        using var obj = BpfObject.Open(Progs.Path("externs_config"), new ObjectOpenOptions { Kconfig = kconfig });
        LogCapture.Start().ShouldBe(0);
        var ex = Should.Throw<BpfException>(() => obj.Load());
        string log = LogCapture.Stop() ?? "";
        ex.Error.ShouldBe(-Errno.EINVAL);
        log.ShouldContain(message);
    }
}
