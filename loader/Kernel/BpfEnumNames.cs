namespace BpfLoader.Kernel;

/// <summary>
/// The names libbpf gives the UAPI enums (<c>libbpf_bpf_prog_type_str</c>, <c>libbpf_bpf_map_type_str</c>):
/// the constant without its prefix, in lower case — <c>sched_cls</c>, <c>unspec</c>, <c>bloom_filter</c>. They
/// follow from the enum member names here (PascalCase of the same words), so a new member needs no table entry.
/// </summary>
internal static class BpfEnumNames
{
    public static string ProgType(BpfProgType type) => Snake(type.ToString());

    public static string MapType(BpfMapType type) => Snake(type.ToString());

    /// <summary>PascalCase to snake_case; digits stay with the word before them (LircMode2 → lirc_mode2).</summary>
    private static string Snake(string pascal)
    {
        if (pascal.Length > 0 && char.IsDigit(pascal[0]))
            return pascal; // not a named member: libbpf prints no name for unknown values either
        var sb = new System.Text.StringBuilder(pascal.Length + 8);
        for (int i = 0; i < pascal.Length; i++)
        {
            char c = pascal[i];
            if (char.IsUpper(c) && i > 0)
                sb.Append('_');
            sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }
}
