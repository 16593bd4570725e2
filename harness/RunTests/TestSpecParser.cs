using System.Globalization;
using BpfLoader.Btf;
using BpfLoader.Diagnostics;
using BpfLoader.Kernel;
using BpfLoader.Objects;

namespace BpfHarness;

/// <summary>
/// test_loader.c's <c>parse_test_spec</c>: collects the <c>comment:test_*</c> decl tags on a program's FUNC.
/// Unknown <c>comment:</c> tags are ignored (as upstream does for tags it does not know); a value that does not
/// parse is <c>Can't parse test spec for program '%s'</c>.
/// </summary>
public static class TestSpecParser
{
    private const string Prefix = "comment:";

    /// <summary>upstream's named __retval values.</summary>
    public const long PointerValue = 0xcafe4aL, TestDataLen = 64;

    /// <summary>The spec of every program of <paramref name="obj"/>, in program order.</summary>
    public static IReadOnlyList<ProgramTestSpec> ReadAll(BpfObject obj)
    {
        var btf = obj.Btf ?? throw new BpfException($"object '{obj.Name}': RUN_TESTS needs BTF", Errno.EINVAL);
        return obj.Programs.Select(p => Parse(btf, p.Name)).ToList();
    }

    /// <summary>Parses the spec of program <paramref name="program"/> (whose FUNC carries the tags).</summary>
    public static ProgramTestSpec Parse(Btf btf, string program)
    {
        int func = btf.FindByName(program, BtfKind.Func);
        var tags = new List<string>();
        for (int id = 1; func > 0 && id <= btf.LastId; id++)
        {
            var t = btf[id];
            if (t.Kind == BtfKind.DeclTag && t.Type == func && t.DeclTagComponentIndex == -1 && t.Name.StartsWith(Prefix, StringComparison.Ordinal))
                tags.Add(t.Name[Prefix.Length..]);
        }
        return FromTags(program, tags);
    }

    /// <summary>The spec that the tag values (without <c>comment:</c>) describe, in BTF order.</summary>
    public static ProgramTestSpec FromTags(string program, IEnumerable<string> tags)
    {
        bool? privFailure = null, unprivFailure = null;
        bool auxiliary = false, auxiliaryUnpriv = false;
        int logLevel = 0;
        uint flags = 0;
        string? description = null;
        long? retval = null, retvalUnpriv = null;
        var messages = new List<ExpectedMessage>();
        var unprivMessages = new List<ExpectedMessage>();
        foreach (string tag in tags)
        {
            if (tag == "test_expect_failure") privFailure = true;
            else if (tag == "test_expect_success") privFailure = false;
            else if (tag == "test_expect_failure_unpriv") unprivFailure = true;
            else if (tag == "test_expect_success_unpriv") unprivFailure = false;
            else if (tag == "test_auxiliary") auxiliary = true;
            else if (tag == "test_auxiliary_unpriv") auxiliaryUnpriv = true;
            else if (Value(tag, "test_expect_msg=") is { } msg) messages.Add(new ExpectedMessage(msg, false));
            else if (Value(tag, "test_expect_regex=") is { } re) messages.Add(new ExpectedMessage(re, true));
            else if (Value(tag, "test_expect_msg_unpriv=") is { } umsg) unprivMessages.Add(new ExpectedMessage(umsg, false));
            else if (Value(tag, "test_expect_regex_unpriv=") is { } ure) unprivMessages.Add(new ExpectedMessage(ure, true));
            else if (Value(tag, "test_description=") is { } desc) description = desc;
            else if (Value(tag, "test_log_level=") is { } lvl) logLevel = (int)Number(program, lvl);
            else if (Value(tag, "test_prog_flags=") is { } flag) flags |= Flag(program, flag);
            else if (Value(tag, "test_retval=") is { } rv) retval = Retval(program, rv);
            else if (Value(tag, "test_retval_unpriv=") is { } urv) retvalUnpriv = Retval(program, urv);
        }
        string name = description ?? program;
        bool hasUnpriv = unprivFailure is not null || unprivMessages.Count > 0 || retvalUnpriv is not null;
        // A program with no mode annotation at all is a privileged test that must load (upstream's default).
        bool hasPriv = privFailure is not null || messages.Count > 0 || retval is not null || !hasUnpriv;
        return new ProgramTestSpec(program, auxiliary, auxiliaryUnpriv, logLevel, flags,
            hasPriv ? new ModeSpec(name, privFailure ?? false, messages, retval) : null,
            hasUnpriv ? new ModeSpec($"{name} @unpriv", unprivFailure ?? false, unprivMessages, retvalUnpriv) : null);
    }

    private static string? Value(string tag, string key) => tag.StartsWith(key, StringComparison.Ordinal) ? tag[key.Length..] : null;

    private static BpfException CantParse(string program) => new($"Can't parse test spec for program '{program}'", Errno.EINVAL);

    private static long Number(string program, string text)
    {
        text = text.Trim();
        bool negative = text.StartsWith('-');
        string digits = negative ? text[1..] : text;
        bool ok = digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? long.TryParse(digits[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out long v)
            : long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out v);
        if (!ok)
            throw CantParse(program);
        return negative ? -v : v;
    }

    private static long Retval(string program, string text) => text.Trim() switch
    {
        "INT_MIN" => int.MinValue,
        "INT_MAX" => int.MaxValue,
        "POINTER_VALUE" => PointerValue,
        "TEST_DATA_LEN" => TestDataLen,
        var other => Number(program, other),
    };

    /// <summary>upstream's <c>__flag(...)</c> names (BPF_F_* program load flags), or a number.</summary>
    private static uint Flag(string program, string text) => text.Trim() switch
    {
        "BPF_F_STRICT_ALIGNMENT" => BpfFlags.StrictAlignment,
        "BPF_F_ANY_ALIGNMENT" => BpfFlags.AnyAlignment,
        "BPF_F_TEST_RND_HI32" => BpfFlags.TestRnd,
        "BPF_F_TEST_STATE_FREQ" => BpfFlags.TestStateFreq,
        "BPF_F_SLEEPABLE" => BpfFlags.Sleepable,
        "BPF_F_XDP_HAS_FRAGS" => BpfFlags.XdpHasFrags,
        "BPF_F_TEST_REG_INVARIANTS" => BpfFlags.TestRegInvariants,
        var other => (uint)Number(program, other),
    };
}
