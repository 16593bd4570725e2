namespace BpfLoader.Btf;

/// <summary>Naming conventions BTF type names follow, shared by CO-RE and the name indexes.</summary>
internal static class BtfNames
{
    /// <summary>
    /// libbpf's <c>bpf_core_essential_name_len</c>: the length of <paramref name="name"/> up to its last
    /// flavor separator (<c>X___Y</c> with X and Y not '_'), or the whole length when there is none, so that
    /// <c>task_struct___old</c> matches <c>task_struct</c>.
    /// </summary>
    public static int EssentialLength(ReadOnlySpan<byte> name)
    {
        for (int i = name.Length - 5; i >= 0; i--)
        {
            if (name[i] != '_' && name[i + 1] == '_' && name[i + 2] == '_' && name[i + 3] == '_' && name[i + 4] != '_')
                return i + 1;
        }
        return name.Length;
    }
}
