namespace BpfLoader.Btf.Dedup;

/// <summary>
/// One BTF holding several BTFs' types back to back (ids shifted, strings re-added once): the un-deduplicated
/// input that linking many objects produces, used to measure and check dedup on real compiler output.
/// </summary>
internal static class BtfConcatenation
{
    public static BtfTypeTable Concatenate(IEnumerable<BtfTypeTable> parts)
    {
        var result = new BtfTypeTable();
        foreach (var part in parts)
        {
            int shift = result.TypeCount - 1;
            for (int id = 1; id < part.TypeCount; id++)
            {
                var rec = part.Record(id).ToArray();
                var kind = part.Kind(id);
                int vlen = part.Vlen(id);
                foreach (int slot in BtfTypeSlots.StringSlots(kind, vlen))
                    rec[slot] = rec[slot] == 0 ? 0 : result.Strings.Add(part.Strings.GetBytes(rec[slot]));
                foreach (int slot in BtfTypeSlots.TypeIdSlots(kind, vlen))
                    rec[slot] = rec[slot] == 0 ? 0 : rec[slot] + (uint)shift;
                result.Add(rec);
            }
        }
        return result;
    }
}
