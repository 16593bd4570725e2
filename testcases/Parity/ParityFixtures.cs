using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;

namespace BpfTests.Parity;

/// <summary>
/// One parity case: an object from progs/parity (or a variant of one the test derives by editing its bytes or
/// with llvm-objcopy), whether to load it after opening, and which program alone to load.
/// </summary>
public sealed record ParityCase(string Name, string Fixture, Func<byte[], byte[]>? Variant = null, string[]? ObjcopyArgs = null,
    bool Load = false, string? Only = null)
{
    public override string ToString() => Name;

    /// <summary>Writes the case's object to <paramref name="dir"/> as NAME.bpf.o (the object name both loaders see).</summary>
    public string Materialize(string dir)
    {
        string source = Path.Combine(Progs.Directory, "parity", Fixture + ".bpf.o");
        string path = Path.Combine(dir, Name + ".bpf.o");
        var bytes = File.ReadAllBytes(source);
        File.WriteAllBytes(path, Variant is null ? bytes : Variant(bytes));
        if (ObjcopyArgs is not null)
            Objcopy(path);
        return path;
    }

    private void Objcopy(string path)
    {
        var psi = new ProcessStartInfo("llvm-objcopy-19") { RedirectStandardError = true };
        foreach (var a in ObjcopyArgs!)
            psi.ArgumentList.Add(a);
        psi.ArgumentList.Add(path);
        using var p = Process.Start(psi)!;
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
            throw new InvalidOperationException($"llvm-objcopy-19 {string.Join(' ', ObjcopyArgs)}: {err}");
    }
}

/// <summary>Byte edits of a little-endian ELF64 file for crafted variants clang cannot produce.</summary>
internal static class ElfEdit
{
    private const ulong ShfExecInstr = 0x4;

    /// <summary>Replaces every occurrence of an ASCII string by another of the same length (symbol and BTF names).</summary>
    public static byte[] Rename(byte[] elf, string from, string to)
    {
        if (from.Length != to.Length)
            throw new ArgumentException("same length only");
        var f = Encoding.ASCII.GetBytes(from + "\0");
        var t = Encoding.ASCII.GetBytes(to + "\0");
        var copy = (byte[])elf.Clone();
        for (int i = copy.AsSpan().IndexOf(f); i >= 0;)
        {
            t.CopyTo(copy, i);
            int next = copy.AsSpan(i + f.Length).IndexOf(f);
            i = next < 0 ? -1 : i + f.Length + next;
        }
        return copy;
    }

    /// <summary>Sets e_machine (EM_X86_64 = 62 makes a foreign object).</summary>
    public static byte[] Machine(byte[] elf, ushort machine)
    {
        var copy = (byte[])elf.Clone();
        BinaryPrimitives.WriteUInt16LittleEndian(copy.AsSpan(18), machine);
        return copy;
    }

    /// <summary>Overwrites bytes at an offset inside a section's contents.</summary>
    public static byte[] Poke(byte[] elf, string section, int offset, byte[] bytes)
    {
        var copy = (byte[])elf.Clone();
        long header = SectionHeader(copy, section);
        long contents = (long)BinaryPrimitives.ReadUInt64LittleEndian(copy.AsSpan((int)header + 0x18));
        bytes.CopyTo(copy, contents + offset);
        return copy;
    }

    public static byte[] ClearExec(byte[] elf, string section) => EditFlags(elf, section, f => f & ~ShfExecInstr);

    public static byte[] SetExec(byte[] elf, string section) => EditFlags(elf, section, f => f | ShfExecInstr);

    private static byte[] EditFlags(byte[] elf, string section, Func<ulong, ulong> edit)
    {
        var copy = (byte[])elf.Clone();
        var flags = copy.AsSpan((int)SectionHeader(copy, section) + 8);
        BinaryPrimitives.WriteUInt64LittleEndian(flags, edit(BinaryPrimitives.ReadUInt64LittleEndian(flags)));
        return copy;
    }

    /// <summary>The file offset of a section's header, found by name.</summary>
    private static long SectionHeader(byte[] elf, string section)
    {
        var span = elf.AsSpan();
        long shoff = (long)BinaryPrimitives.ReadUInt64LittleEndian(span[0x28..]);
        int shentsize = BinaryPrimitives.ReadUInt16LittleEndian(span[0x3A..]);
        int shnum = BinaryPrimitives.ReadUInt16LittleEndian(span[0x3C..]);
        int shstrndx = BinaryPrimitives.ReadUInt16LittleEndian(span[0x3E..]);
        long Header(int i) => shoff + (long)i * shentsize;
        long strtab = (long)BinaryPrimitives.ReadUInt64LittleEndian(span[(int)(Header(shstrndx) + 0x18)..]);
        for (int i = 0; i < shnum; i++)
        {
            int nameOff = (int)BinaryPrimitives.ReadUInt32LittleEndian(span[(int)Header(i)..]);
            var name = span[(int)(strtab + nameOff)..];
            if (!name[..name.IndexOf((byte)0)].SequenceEqual(Encoding.ASCII.GetBytes(section)))
                continue;
            return Header(i);
        }
        throw new ArgumentException($"no section {section}");
    }
}
