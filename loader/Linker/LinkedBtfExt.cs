using System.Buffers.Binary;
using BpfLoader.Btf.Dedup;
using BpfLoader.Diagnostics;

namespace BpfLoader.Linker;

/// <summary>
/// The output .BTF.ext under construction: the per-section record lists of all output sections, in section
/// order. Section names are added to the BTF string set when it is built (before dedup, as libbpf does), the
/// bytes are produced after dedup renumbered the type ids through <see cref="IBtfDedupReferences"/>.
/// </summary>
internal sealed class LinkedBtfExt : IBtfDedupReferences
{
    private readonly List<(uint NameOff, ExtRecordList List)>[] _parts = [[], [], []];
    private readonly int[] _recSizes = new int[3];

    private LinkedBtfExt()
    {
    }

    /// <summary>Null when no section has any record (libbpf then writes no .BTF.ext).</summary>
    public static LinkedBtfExt? Build(LinkState state)
    {
        var ext = new LinkedBtfExt();
        string[] names = ["func_info", "line_info", "core_relo_info"];
        Func<OutputSection, ExtRecordList>[] picks = [s => s.FuncInfos, s => s.LineInfos, s => s.CoreRelos];
        bool any = false;
        for (int part = 0; part < 3; part++)
        {
            foreach (var sec in state.Sections)
            {
                var list = picks[part](sec);
                if (list.Records.Count == 0)
                    continue;
                if (ext._recSizes[part] == 0)
                    ext._recSizes[part] = list.RecordSize;
                if (ext._recSizes[part] != list.RecordSize)
                {
                    string text = $"mismatch in {names[part]} record size {ext._recSizes[part]} != {list.RecordSize}";
                    LibbpfLog.Warn(text);
                    LibbpfLog.Warn($".BTF.ext generation failed: {Errno.Str(Errno.EINVAL)}");
                    throw new BpfLinkException(text, Errno.EINVAL, null, null);
                }
                any = true;
            }
        }
        if (!any)
            return null;
        for (int part = 0; part < 3; part++)
        {
            foreach (var sec in state.Sections)
            {
                var list = picks[part](sec);
                if (list.Records.Count != 0)
                    ext._parts[part].Add((state.Btf.Strings.Add(sec.Name), list));
            }
        }
        return ext;
    }

    public void RemapStrings(Func<uint, uint> remap)
    {
        for (int part = 0; part < 3; part++)
        {
            var secs = _parts[part];
            for (int i = 0; i < secs.Count; i++)
            {
                secs[i] = (remap(secs[i].NameOff), secs[i].List);
                foreach (var rec in secs[i].List.Records)
                {
                    if (part == 1)
                    {
                        rec[1] = remap(rec[1]);
                        rec[2] = remap(rec[2]);
                    }
                    else if (part == 2)
                    {
                        rec[2] = remap(rec[2]);
                    }
                }
            }
        }
    }

    public void RemapTypeIds(Func<int, int> remap)
    {
        foreach (int part in (int[])[0, 2])
        {
            foreach (var (_, list) in _parts[part])
            {
                foreach (var rec in list.Records)
                    rec[1] = (uint)remap((int)rec[1]);
            }
        }
    }

    /// <summary>32-byte header, then func_info, line_info, core_relo parts (record size, then sections).</summary>
    public byte[] ToBytes()
    {
        var lens = new int[3];
        for (int part = 0; part < 3; part++)
        {
            if (_parts[part].Count != 0)
                lens[part] = 4 + _parts[part].Sum(s => 8 + s.List.Records.Count * _recSizes[part]);
        }
        var result = new byte[32 + lens.Sum()];
        var s = result.AsSpan();
        BinaryPrimitives.WriteUInt16LittleEndian(s, 0xEB9F);
        s[2] = 1;
        BinaryPrimitives.WriteUInt32LittleEndian(s[4..], 32);
        int off = 0;
        for (int part = 0; part < 3; part++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(s[(8 + 8 * part)..], (uint)off);
            BinaryPrimitives.WriteUInt32LittleEndian(s[(12 + 8 * part)..], (uint)lens[part]);
            if (lens[part] == 0)
                continue;
            int p = 32 + off;
            BinaryPrimitives.WriteUInt32LittleEndian(s[p..], (uint)_recSizes[part]);
            p += 4;
            foreach (var (nameOff, list) in _parts[part])
            {
                BinaryPrimitives.WriteUInt32LittleEndian(s[p..], nameOff);
                BinaryPrimitives.WriteUInt32LittleEndian(s[(p + 4)..], (uint)list.Records.Count);
                p += 8;
                foreach (var rec in list.Records)
                {
                    for (int w = 0; w < rec.Length; w++)
                        BinaryPrimitives.WriteUInt32LittleEndian(s[(p + 4 * w)..], rec[w]);
                    p += _recSizes[part];
                }
            }
            off += lens[part];
        }
        return result;
    }
}
