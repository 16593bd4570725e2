namespace BpfLoader.Maps;

/// <summary>Names of global-data maps, as libbpf's <c>internal_map_name</c> builds them.</summary>
internal static class InternalMapNames
{
    private const int ObjNameLen = 16; // BPF_OBJ_NAME_LEN

    /// <summary>Is an ELF section one whose contents become a global-data map?</summary>
    public static bool IsDataSection(string name)
        => name is ".data" or ".rodata" or ".bss" or ".kconfig"
           || name.StartsWith(".data.", StringComparison.Ordinal)
           || name.StartsWith(".bss.", StringComparison.Ordinal) // libbpf: NOBITS .bss.* sections are SEC_BSS too
           || name.StartsWith(".rodata.", StringComparison.Ordinal);

    /// <summary>
    /// <c>.bss</c> of object <c>minimal</c> → <c>minimal.bss</c>: up to 8 characters of the object name (fewer when
    /// the section name is longer) plus the section name. Sections with a second dot (.data.custom,
    /// .rodata.str1.1) keep their own name only, so different objects' custom sections stay distinguishable
    /// by their section name. Characters the kernel does not accept become '_'.
    /// </summary>
    public static string For(string objectName, string sectionName)
    {
        int sfxLen = Math.Max(7, sectionName.Length);
        int pfxLen = sectionName.IndexOf('.', 1) >= 0 ? 0 : Math.Min(ObjNameLen - sfxLen - 1, objectName.Length);
        pfxLen = Math.Max(0, pfxLen);
        var combined = objectName[..pfxLen] + sectionName[..Math.Min(sfxLen, sectionName.Length)];
        if (combined.Length > ObjNameLen - 1)
            combined = combined[..(ObjNameLen - 1)];
        var chars = combined.ToCharArray();
        for (int i = 0; i < chars.Length; i++)
        {
            if (!char.IsAsciiLetterOrDigit(chars[i]) && chars[i] != '_' && chars[i] != '.')
                chars[i] = '_';
        }
        return new string(chars);
    }
}
