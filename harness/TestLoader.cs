using BpfLoader.Btf;
using BpfLoader.Diagnostics;
using BpfLoader.Objects;
using static BpfHarness.TP;

namespace BpfHarness;

/// <summary>One program's test spec, read from its <c>comment:</c> BTF decl tags (bpf_misc.h's __success, __msg, ...).</summary>
public sealed record ProgramTestSpec(string Program, string Name, bool ExpectFailure, bool Auxiliary, int LogLevel, IReadOnlyList<string> ExpectedMessages);

/// <summary>
/// test_progs' RUN_TESTS (<c>test_loader.c</c>): every non-auxiliary program of an object is one subtest; the
/// object is opened afresh per subtest with only that program (and auxiliaries) autoloaded; the load must
/// succeed or fail as annotated, and the expected messages must appear in the verifier log in order.
/// </summary>
public static class TestLoader
{
    private const string Prefix = "comment:";

    public static IReadOnlyList<ProgramTestSpec> ReadSpecs(BpfObject obj)
    {
        var btf = obj.Btf ?? throw new BpfException($"object '{obj.Name}': RUN_TESTS needs BTF", Errno.EINVAL);
        var specs = new List<ProgramTestSpec>();
        foreach (var prog in obj.Programs)
        {
            int func = btf.FindByName(prog.Name, BtfKind.Func);
            bool failure = false, auxiliary = false;
            int logLevel = 0;
            string name = prog.Name;
            var messages = new List<string>();
            for (int id = 1; func > 0 && id <= btf.LastId; id++)
            {
                var t = btf[id];
                if (t.Kind != BtfKind.DeclTag || t.Type != func || t.DeclTagComponentIndex != -1 || !t.Name.StartsWith(Prefix, StringComparison.Ordinal))
                    continue;
                string tag = t.Name[Prefix.Length..];
                if (tag == "test_expect_failure")
                    failure = true;
                else if (tag == "test_auxiliary")
                    auxiliary = true;
                else if (tag.StartsWith("test_expect_msg=", StringComparison.Ordinal))
                    messages.Add(tag["test_expect_msg=".Length..]);
                else if (tag.StartsWith("test_description=", StringComparison.Ordinal))
                    name = tag["test_description=".Length..];
                else if (tag.StartsWith("test_log_level=", StringComparison.Ordinal))
                    logLevel = int.TryParse(tag["test_log_level=".Length..], out var l) ? l : throw new BpfException($"Can't parse test spec for program '{prog.Name}'", Errno.EINVAL);
            }
            specs.Add(new ProgramTestSpec(prog.Name, name, failure, auxiliary, logLevel, messages));
        }
        return specs;
    }

    /// <summary>Runs every program of the object at <paramref name="objectPath"/> as a subtest of the current test.</summary>
    public static void RunTests(string objectPath, string objectName)
    {
        IReadOnlyList<ProgramTestSpec> specs;
        using (var probe = BpfObject.Open(File.ReadAllBytes(objectPath), objectName))
            specs = ReadSpecs(probe);
        foreach (var spec in specs.Where(s => !s.Auxiliary))
        {
            if (test__start_subtest(spec.Name))
                run_subtest(objectPath, objectName, spec, specs);
        }
    }

    private static void run_subtest(string objectPath, string objectName, ProgramTestSpec spec, IReadOnlyList<ProgramTestSpec> specs)
    {
        using var obj = BpfObject.Open(File.ReadAllBytes(objectPath), objectName);
        foreach (var prog in obj.Programs)
        {
            var s = specs.First(x => x.Program == prog.Name);
            prog.AutoLoad = prog.Name == spec.Program || s.Auxiliary;
        }
        var tested = obj.Program(spec.Program);
        tested.LogLevel = (uint)Math.Max(spec.LogLevel, spec.ExpectedMessages.Count > 0 ? 1 : 0);
        int err = 0;
        try
        {
            obj.Load();
        }
        catch (BpfException e)
        {
            err = e.Error;
        }
        if (spec.ExpectFailure)
        {
            if (!ASSERT_LT(err, 0, "unexpected_load_success"))
                return;
        }
        else if (!ASSERT_OK(err, "unexpected_load_failure"))
        {
            PrintLog(tested.VerifierLog);
            return;
        }
        ValidateMessages(tested.VerifierLog ?? "", spec.ExpectedMessages);
    }

    private static void ValidateMessages(string log, IReadOnlyList<string> expected)
    {
        int from = 0;
        foreach (var message in expected)
        {
            int at = log.IndexOf(message, from, StringComparison.Ordinal);
            if (at < 0)
            {
                PRINT_FAIL($"expect_msg\n", func: "validate_msgs");
                PrintLog(log);
                printf($"EXPECTED   MSG: '{message}'\n");
                return;
            }
            from = at + message.Length;
        }
    }

    private static void PrintLog(string? log) => printf($"VERIFIER LOG:\n=============\n{log}=============\n");
}
