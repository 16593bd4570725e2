using System.Text;

namespace BpfLoader.SkeletonGen;

/// <summary>
/// C names to C# names: <c>testmod_1</c> → <c>Testmod1</c>, <c>var3_1</c> → <c>Var3_1</c> (an underscore between two
/// digits stays, so <c>var3_1</c> and <c>var31</c> do not meet), leading underscores dropped, a leading digit
/// prefixed with <c>_</c>, C# keywords escaped with <c>@</c>; ALL_CAPS names kept.
/// </summary>
internal static class Naming
{
    private static readonly HashSet<string> Keywords =
    [
        "abstract", "as", "base", "bool", "break", "byte", "case", "catch", "char", "checked", "class", "const", "continue",
        "decimal", "default", "delegate", "do", "double", "else", "enum", "event", "explicit", "extern", "false", "finally",
        "fixed", "float", "for", "foreach", "goto", "if", "implicit", "in", "int", "interface", "internal", "is", "lock",
        "long", "namespace", "new", "null", "object", "operator", "out", "override", "params", "private", "protected",
        "public", "readonly", "ref", "return", "sbyte", "sealed", "short", "sizeof", "stackalloc", "static", "string",
        "struct", "switch", "this", "throw", "true", "try", "typeof", "uint", "ulong", "unchecked", "unsafe", "ushort",
        "using", "virtual", "void", "volatile", "while",
    ];

    public static string Pascal(string cName)
    {
        // ALL_CAPS names (CONFIG_BPF_SYSCALL, LINUX_KERNEL_VERSION) read best as they are.
        if (cName.Any(char.IsUpper) && !cName.Any(char.IsLower) && !char.IsDigit(cName[0]))
            return Escape(cName);
        var sb = new StringBuilder();
        foreach (var part in cName.Split('_'))
        {
            if (part.Length == 0)
                continue;
            if (sb.Length > 0 && char.IsDigit(sb[sb.Length - 1]) && char.IsDigit(part[0]))
                sb.Append('_');
            sb.Append(char.ToUpperInvariant(part[0])).Append(part, 1, part.Length - 1);
        }
        for (int i = 0; i < sb.Length; i++)
        {
            if (!(char.IsLetterOrDigit(sb[i]) || sb[i] == '_'))
                sb[i] = '_';
        }
        if (sb.Length == 0 || char.IsDigit(sb[0]))
            sb.Insert(0, '_');
        return Escape(sb.ToString());
    }

    /// <summary>A C name used verbatim (enumerators, bpftool's <c>__padding_N</c>), escaped when it is a C# keyword.</summary>
    public static string Escape(string name) => Keywords.Contains(name) ? "@" + name : name;

    public static string Literal(string s)
    {
        var sb = new StringBuilder("\"");
        foreach (char c in s)
        {
            sb.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                _ when c < ' ' || c > '~' => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }
        return sb.Append('"').ToString();
    }
}

/// <summary>Names already taken in one C# scope; a clash gets <c>_2</c>, <c>_3</c>, ... appended.</summary>
internal sealed class NameScope
{
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    public NameScope(params string[] reserved)
    {
        foreach (var r in reserved)
            _used.Add(r);
    }

    public string Claim(string name)
    {
        string candidate = name;
        for (int n = 2; !_used.Add(candidate.TrimStart('@')); n++)
            candidate = name.TrimStart('@') + "_" + n;
        return candidate;
    }
}
