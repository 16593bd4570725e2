using BpfLoader.Diagnostics;
using BpfLoader.Kernel;
using BpfLoader.Objects;
using BpfLoader.Programs;
using BpfLoader.Skeletons;
using static BpfHarness.TP;

namespace BpfHarness;

/// <summary>
/// test_progs' RUN_TESTS (<c>test_loader.c</c>), for <c>using static BpfHarness.ProgramTests;</c>:
/// <c>RunTests("test_global_func_ctx_args")</c>. Every non-auxiliary program of the object is one subtest of
/// the current test, named by its <c>__description</c> or else its name, in program order. Per subtest the
/// object is opened afresh with only that program (and the auxiliary ones) autoloaded, at the spec's log level
/// (raised to 1 with -v, 2 with -vvv); the load must fail (<c>__failure</c>) or succeed (<c>__success</c>, the
/// default), each <c>__msg</c>/<c>__regex</c> must appear in the verifier log in order, and a <c>__retval</c> is
/// checked through BPF_PROG_TEST_RUN. Unprivileged variants (<c>… @unpriv</c>) are skipped with a reason: the
/// port runs as root only.
/// </summary>
public static class ProgramTests
{
    /// <summary>Reason printed for every <c>@unpriv</c> subtest.</summary>
    public const string UnprivSkipReason = "unprivileged mode is not supported by this port (tests run as root)";

    /// <summary>
    /// RUN_TESTS on an object file: <paramref name="objectPathOrName"/> is a path, or a name looked up as
    /// <c>progs/&lt;name&gt;.bpf.o</c> next to the test assembly. The object is named after the file, as a
    /// skeleton of that name would be.
    /// </summary>
    /// <param name="skip">
    /// Per program name, a reason to skip its subtest (or null to run it): for programs whose outcome depends
    /// on a kernel property the spec cannot express (upstream uses __arch_* and friends for this).
    /// </param>
    public static void RunTests(string objectPathOrName, ObjectOpenOptions? options = null, Func<string, string?>? skip = null)
    {
        string path = ResolveObject(objectPathOrName);
        RunTests(File.ReadAllBytes(path), BpfLoader.Elf.ElfFile.ObjectNameFromPath(path), options, skip);
    }

    /// <summary>RUN_TESTS on an opened object: it is only read; each subtest reopens its ELF with the same options.</summary>
    public static void RunTests(BpfObject obj) => RunTests(obj.Elf.Data, obj.Name, obj.Options);

    /// <summary>RUN_TESTS on a skeleton (upstream passes the skeleton's embedded object).</summary>
    public static void RunTests(BpfSkeleton skeleton) => RunTests(skeleton.Object);

    /// <summary>RUN_TESTS on ELF bytes under object name <paramref name="objectName"/>.</summary>
    public static void RunTests(ReadOnlyMemory<byte> elf, string objectName, ObjectOpenOptions? options = null, Func<string, string?>? skip = null)
    {
        IReadOnlyList<ProgramTestSpec> specs;
        try
        {
            using var probe = BpfObject.Open(elf, objectName, options);
            specs = TestSpecParser.ReadAll(probe);
        }
        catch (BpfException e)
        {
            PRINT_FAIL($"{e.Message}\n", func: "run_subtest");
            return;
        }
        foreach (var spec in specs.Where(s => !s.Auxiliary))
        {
            if (spec.Privileged is { } priv && test__start_subtest(priv.Name))
            {
                if (skip?.Invoke(spec.Program) is { } reason)
                    Skip(reason);
                else
                    RunSubtest(elf, objectName, options, spec, priv, specs);
            }
            if (spec.Unprivileged is { } unpriv && test__start_subtest(unpriv.Name))
                Skip(UnprivSkipReason);
        }
    }

    /// <summary>Skips the current subtest, with the reason in its log (test__skip itself prints nothing).</summary>
    private static void Skip(string reason)
    {
        printf($"SKIP: {reason}\n");
        test__skip(reason);
    }

    private static string ResolveObject(string objectPathOrName)
    {
        if (objectPathOrName.Contains('/') || objectPathOrName.EndsWith(".o", StringComparison.Ordinal))
            return objectPathOrName;
        return Path.Combine(AppContext.BaseDirectory, "progs", objectPathOrName + ".bpf.o");
    }

    private static int MinLogLevel => HarnessSettings.Verbosity switch
    {
        Verbosity.Super => 2,
        > Verbosity.None => 1,
        _ => 0,
    };

    private static void RunSubtest(ReadOnlyMemory<byte> elf, string objectName, ObjectOpenOptions? options,
        ProgramTestSpec spec, ModeSpec mode, IReadOnlyList<ProgramTestSpec> specs)
    {
        using var obj = BpfObject.Open(elf, objectName, options);
        foreach (var prog in obj.Programs)
            prog.AutoLoad = prog.Name == spec.Program || specs.Any(s => s.Program == prog.Name && s.Auxiliary);
        var tested = obj.Program(spec.Program);
        // Keep log level 4 (statistics) independent of the 1/2 verbosity bits, as upstream does.
        tested.LogLevel = (uint)((spec.LogLevel & 3) < MinLogLevel ? (spec.LogLevel & 4) | MinLogLevel : spec.LogLevel);
        tested.Flags |= spec.ProgFlags;
        int err = 0;
        try
        {
            obj.Load();
        }
        catch (BpfException e)
        {
            err = -Math.Abs(e.Error);
        }
        string log = tested.VerifierLog ?? "";
        if (mode.ExpectFailure)
        {
            if (!ASSERT_LT(err, 0, "unexpected_load_success", func: "run_subtest"))
            {
                EmitVerifierLog(log, force: false);
                return;
            }
        }
        else if (!ASSERT_OK(err, "unexpected_load_failure", func: "run_subtest"))
        {
            EmitVerifierLog(log, force: true);
            return;
        }
        EmitVerifierLog(log, force: false);
        if (!ExpectedMessages.Validate(log, mode.Messages, EmitVerifierLog))
            return;
        if (mode.Retval is { } expected && !mode.ExpectFailure)
            CheckRetval(tested, expected);
    }

    /// <summary>test_loader.c's <c>do_prog_test_run</c> + the retval check (POINTER_VALUE matches anything).</summary>
    private static void CheckRetval(BpfProgram prog, long expected)
    {
        byte[] input = new byte[TestSpecParser.TestDataLen];
        TestRunResult result;
        try
        {
            result = TakesPacket(prog.Type) ? prog.TestRun(input, dataOutSize: input.Length * 4) : prog.TestRun();
        }
        catch (BpfException e)
        {
            int errno = Math.Abs(e.Error);
            PRINT_FAIL($"FAIL: Unexpected bpf_prog_test_run error: {errno} ({System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(errno)}) \n", func: "do_prog_test_run");
            return;
        }
        int retval = unchecked((int)result.ReturnValue);
        if (expected != TestSpecParser.PointerValue && retval != unchecked((int)expected))
            PRINT_FAIL($"Unexpected retval: {retval} != {unchecked((int)expected)}\n", func: "run_subtest");
    }

    private static bool TakesPacket(BpfProgType type) => type is BpfProgType.SocketFilter or BpfProgType.SchedCls
        or BpfProgType.SchedAct or BpfProgType.Xdp or BpfProgType.CgroupSkb or BpfProgType.LwtIn or BpfProgType.LwtOut
        or BpfProgType.LwtXmit or BpfProgType.LwtSeg6local or BpfProgType.SkSkb or BpfProgType.FlowDissector;

    /// <summary>test_loader.c's <c>emit_verifier_log</c>: printed when forced, or from -v on.</summary>
    internal static void EmitVerifierLog(string log, bool force)
    {
        if (!force && HarnessSettings.Verbosity == Verbosity.None)
            return;
        printf($"VERIFIER LOG:\n=============\n{log}=============\n");
    }
}
