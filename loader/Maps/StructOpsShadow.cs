using System.Runtime.InteropServices;
using System.Text;
using BpfLoader.Diagnostics;
using BpfLoader.Programs;

namespace BpfLoader.Maps;

/// <summary>
/// The "shadow" of a struct_ops map (libbpf's <c>st_ops->data</c>): the map's local value as the ELF declared
/// it, editable until load. Scalars are read and written in place; function-pointer members hold programs
/// of the object. Everything here is read when the object is loaded, so changes after open take effect.
/// A generated skeleton property is a thin typed wrapper over <see cref="Get{T}(int)"/> and
/// <see cref="SetProgram(int, BpfProgram?)"/> with offsets and indices fixed at generation time.
/// </summary>
public sealed class StructOpsShadow
{
    private readonly byte[] _data;
    private readonly BpfProgram?[] _programs;
    private readonly Dictionary<string, StructOpsMember> _byName;

    internal StructOpsShadow(BpfMap map, string localTypeName, int localTypeId, string sectionName, byte[] data, IReadOnlyList<StructOpsMember> members)
    {
        Map = map;
        LocalTypeName = localTypeName;
        LocalTypeId = localTypeId;
        SectionName = sectionName;
        _data = data;
        Members = members;
        // First wins: crafted BTF can repeat a member name (or leave several empty), which must not throw here;
        // the kernel judges such a type at load.
        _byName = new Dictionary<string, StructOpsMember>(members.Count);
        foreach (var m in members)
            _byName.TryAdd(m.Name, m);
        _programs = new BpfProgram?[members.Count];
        ElfPrograms = new BpfProgram?[members.Count];
    }

    /// <summary>The struct_ops map this shadows.</summary>
    public BpfMap Map { get; }
    /// <summary>The local struct name, e.g. <c>bpf_testmod_ops___v1</c>.</summary>
    public string LocalTypeName { get; }
    internal int LocalTypeId { get; }
    /// <summary><c>.struct_ops</c>, <c>.struct_ops.link</c> or a '?' variant.</summary>
    public string SectionName { get; }
    /// <summary>The struct's members, in BTF order.</summary>
    public IReadOnlyList<StructOpsMember> Members { get; }

    /// <summary>The programs the ELF put into each slot; never changed (the autoload rule reads them for maps not created).</summary>
    internal BpfProgram?[] ElfPrograms { get; }

    /// <summary>Set at load for created maps: the kernel value and where program fds go.</summary>
    internal StructOpsKernelValue? Kernel { get; set; }

    /// <summary>The map's local value bytes (function-pointer slots read as zero; their programs live in the slots).</summary>
    public Span<byte> Data => _data;

    /// <summary>The member named <paramref name="name"/>; a typed -ENOENT error if none.</summary>
    public StructOpsMember Member(string name)
        => _byName.TryGetValue(name, out var m) ? m : throw new BpfException($"struct_ops map '{Map.Name}': type {LocalTypeName} has no member '{name}'", Errno.ENOENT);

    /// <summary>The program in function-pointer member <paramref name="member"/> (null when unset).</summary>
    public BpfProgram? GetProgram(string member) => GetProgram(FunctionMember(member).Index);
    /// <summary>The program in function-pointer member number <paramref name="memberIndex"/>.</summary>
    public BpfProgram? GetProgram(int memberIndex) => _programs[memberIndex];

    /// <summary>Puts a program into a slot, or empties it with null (that program then is not loaded for this map).</summary>
    public void SetProgram(string member, BpfProgram? program) => SetProgram(FunctionMember(member).Index, program);

    /// <summary>Puts <paramref name="program"/> (or none) in function-pointer member number <paramref name="memberIndex"/>.</summary>
    public void SetProgram(int memberIndex, BpfProgram? program)
    {
        RequireEditable();
        if (program is not null && program.Type != BpfLoader.Kernel.BpfProgType.StructOps)
            throw new BpfException($"struct_ops map '{Map.Name}': prog '{program.Name}' is not a struct_ops program", Errno.EINVAL);
        _programs[memberIndex] = program;
    }

    /// <summary>Reads scalar member <paramref name="member"/>.</summary>
    public T Get<T>(string member) where T : unmanaged => Get<T>(ScalarMember<T>(member).Offset);
    /// <summary>Reads a <typeparamref name="T"/> at byte <paramref name="offset"/> of the value.</summary>
    public T Get<T>(int offset) where T : unmanaged => MemoryMarshal.Read<T>(_data.AsSpan(offset));

    /// <summary>Writes scalar member <paramref name="member"/>; takes effect at load.</summary>
    public void Set<T>(string member, T value) where T : unmanaged => Set(ScalarMember<T>(member).Offset, value);

    /// <summary>Writes <paramref name="value"/> at byte <paramref name="offset"/> of the value; takes effect at load.</summary>
    public void Set<T>(int offset, T value) where T : unmanaged
    {
        RequireEditable();
        MemoryMarshal.Write(_data.AsSpan(offset), in value);
    }

    /// <summary>A char-array member as a string (up to the first NUL), e.g. tcp_congestion_ops' <c>name</c>.</summary>
    public string GetString(string member)
    {
        var m = Member(member);
        var bytes = _data.AsSpan(m.Offset, m.Size);
        int end = bytes.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? bytes : bytes[..end]);
    }

    /// <summary>Writes char-array member <paramref name="member"/> (NUL-terminated, refused if too long).</summary>
    public void SetString(string member, string value)
    {
        RequireEditable();
        var m = Member(member);
        var bytes = Encoding.UTF8.GetBytes(value);
        if (bytes.Length >= m.Size)
            throw new BpfException($"struct_ops map '{Map.Name}': '{value}' does not fit member '{member}' ({m.Size} bytes with NUL)", Errno.E2BIG);
        var dest = _data.AsSpan(m.Offset, m.Size);
        dest.Clear();
        bytes.CopyTo(dest);
    }

    /// <summary>True when the member's bytes are all zero and no program sits in its slot.</summary>
    internal bool IsZero(StructOpsMember m)
        => m.IsFunctionPointer ? _programs[m.Index] is null : !_data.AsSpan(m.Offset, m.Size).ContainsAnyExcept((byte)0);

    internal void ClearSlot(int memberIndex) => _programs[memberIndex] = null;

    internal void InitSlot(int memberIndex, BpfProgram program)
    {
        ElfPrograms[memberIndex] = program;
        _programs[memberIndex] = program;
    }

    private StructOpsMember FunctionMember(string name)
    {
        var m = Member(name);
        return m.IsFunctionPointer ? m : throw new BpfException($"struct_ops map '{Map.Name}': member '{name}' is not a function pointer", Errno.EINVAL);
    }

    private StructOpsMember ScalarMember<T>(string name) where T : unmanaged
    {
        var m = Member(name);
        if (m.IsFunctionPointer)
            throw new BpfException($"struct_ops map '{Map.Name}': member '{name}' is a function pointer; use SetProgram", Errno.EINVAL);
        if (Marshal.SizeOf<T>() > m.Size)
            throw new BpfException($"struct_ops map '{Map.Name}': member '{name}' has {m.Size} bytes, {typeof(T).Name} has {Marshal.SizeOf<T>()}", Errno.EINVAL);
        return m;
    }

    private void RequireEditable()
    {
        if (Map.DefinitionSealed)
            throw new BpfException($"struct_ops map '{Map.Name}': the shadow is read at load and can't change after it", Errno.EBUSY);
    }
}
