using BpfLoader.Btf;
using BpfLoader.BtfDump;
using BpfLoader.Elf;
using BpfLoader.Objects;

namespace BpfFuzz;

/// <summary>The parsers under test. Each takes the mutated bytes; a typed BpfException is an accepted outcome.</summary>
public enum FuzzTarget
{
    /// <summary>BpfObject.Open of an object (and, for a sampled fraction, Load into the kernel).</summary>
    Open,
    /// <summary>Btf.Parse of raw BTF, then the raw dump of every type.</summary>
    Btf,
    /// <summary>BtfExt.Parse of an object's .BTF.ext against its (possibly mutated) .BTF.</summary>
    BtfExt,
    /// <summary>The C header dumper on parsed BTF.</summary>
    CDump,
}

/// <summary>Runs one target on one input.</summary>
public static class Targets
{
    /// <summary>Which seed inputs a target mutates: objects for Open and BtfExt, raw BTF for Btf and CDump.</summary>
    public static bool Takes(FuzzTarget target, InputKind kind)
        => target is FuzzTarget.Open or FuzzTarget.BtfExt ? kind == InputKind.Elf : kind == InputKind.RawBtf;

    /// <param name="pinRoot">bpffs folder for maps pinned by name when <paramref name="load"/> is set.</param>
    public static void Run(FuzzTarget target, byte[] bytes, string name, bool splitOnVmlinux, bool load, string pinRoot)
    {
        switch (target)
        {
            case FuzzTarget.Open:
            {
                using var obj = BpfObject.Open(bytes, name, new ObjectOpenOptions { PinRoot = pinRoot });
                if (load)
                    obj.Load();
                break;
            }
            case FuzzTarget.Btf:
            {
                var btf = Btf.Parse(bytes, splitOnVmlinux ? Btf.KernelVmlinux : null, name);
                btf.DumpRaw(TextWriter.Null);
                break;
            }
            case FuzzTarget.BtfExt:
            {
                var elf = ElfFile.Parse(bytes, name);
                var btfSection = elf.FindSection(".BTF");
                var extSection = elf.FindSection(".BTF.ext");
                if (btfSection is null || extSection is null)
                    break;
                var btf = Btf.Parse(btfSection.Data, null, name);
                BtfExt.Parse(extSection.Data, btf, name);
                break;
            }
            case FuzzTarget.CDump:
            {
                var btf = Btf.Parse(bytes, splitOnVmlinux ? Btf.KernelVmlinux : null, name);
                BtfCDumper.Dump(btf, TextWriter.Null);
                break;
            }
        }
    }
}
