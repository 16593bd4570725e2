using BpfLoader.Btf;
using BpfLoader.Diagnostics;

namespace BpfLoader.Core;

/// <summary>
/// The value a relocation kind takes for one spec (local or target), as libbpf's
/// <c>bpf_core_calc_field_relo</c>, <c>bpf_core_calc_type_relo</c> and <c>bpf_core_calc_enumval_relo</c>
/// compute it. A null spec means "no target": existence checks give 0, offsets ask for poisoning (-EUCLEAN).
/// </summary>
internal static class CoreValues
{
    public static int Field(string progName, CoreRelo relo, CoreSpec? spec, out ulong val, out uint fieldSize, out int typeId, out bool validate)
    {
        val = 0;
        fieldSize = 0;
        typeId = 0;
        validate = true;
        if (relo.Kind == BtfCoreReloKind.FieldExists)
        {
            val = spec is null ? 0ul : 1ul;
            return 0;
        }
        if (spec is null)
            return -Errno.EUCLEAN;

        var btf = spec.Btf;
        var acc = spec.Accessors[^1];
        if (acc.Name is null)
        {
            // The last step is an array element a[n].
            long sz = btf.ResolveSize(acc.TypeId);
            if (relo.Kind == BtfCoreReloKind.FieldByteOffset)
            {
                val = (ulong)(spec.BitOffset / 8);
                if (sz < 0)
                    return -Errno.EINVAL;
                fieldSize = (uint)sz;
                typeId = acc.TypeId;
            }
            else if (relo.Kind == BtfCoreReloKind.FieldByteSize)
            {
                if (sz < 0)
                    return -Errno.EINVAL;
                val = (ulong)sz;
            }
            else
            {
                LibbpfLog.Warn($"prog '{progName}': relo {(int)relo.Kind} at insn #{relo.InsnOff / 8} can't be applied to array access");
                return -Errno.EINVAL;
            }
            return 0;
        }

        var owner = btf[acc.TypeId];
        var m = owner.Members[acc.Index];
        CoreNames.Skip(btf, m.Type, out int fieldTypeId, out var mt);
        uint bitOff = (uint)spec.BitOffset;
        uint bitSz = m.BitfieldSize;
        uint byteOff, byteSz;
        bool bitfield = bitSz > 0;
        if (bitfield)
        {
            byteSz = mt.Size;
            byteOff = bitOff / 8 / byteSz * byteSz;
            // The smallest load that covers the whole bitfield.
            while (bitOff + bitSz - byteOff * 8 > byteSz * 8)
            {
                if (byteSz >= 8)
                {
                    LibbpfLog.Warn($"prog '{progName}': relo {(int)relo.Kind} at insn #{relo.InsnOff / 8} can't be satisfied for bitfield");
                    return -Errno.E2BIG;
                }
                byteSz *= 2;
                byteOff = bitOff / 8 / byteSz * byteSz;
            }
        }
        else
        {
            long sz = btf.ResolveSize(fieldTypeId);
            if (sz < 0)
                return -Errno.EINVAL;
            byteSz = (uint)sz;
            byteOff = bitOff / 8;
            bitSz = byteSz * 8;
        }
        // For bitfields the compiler and libbpf may legitimately disagree, so only signedness and shifts are checked.
        validate = !bitfield;

        switch (relo.Kind)
        {
            case BtfCoreReloKind.FieldByteOffset:
                val = byteOff;
                if (!bitfield)
                {
                    fieldSize = byteSz;
                    typeId = fieldTypeId;
                }
                return 0;
            case BtfCoreReloKind.FieldByteSize:
                val = byteSz;
                return 0;
            case BtfCoreReloKind.FieldSigned:
                val = (CoreNames.IsAnyEnum(mt) && mt.KindFlag) || (mt.Kind == BtfKind.Int && (mt.IntEncoding & BtfIntEncoding.Signed) != 0) ? 1ul : 0ul;
                validate = true;
                return 0;
            case BtfCoreReloKind.FieldLShiftU64:
                val = 64 - (bitOff + bitSz - byteOff * 8);   // little-endian target
                return 0;
            case BtfCoreReloKind.FieldRShiftU64:
                val = 64 - bitSz;
                validate = true;
                return 0;
            default:
                return -Errno.EOPNOTSUPP;
        }
    }

    public static int Type(CoreRelo relo, CoreSpec? spec, out ulong val, out bool validate)
    {
        val = 0;
        validate = true;
        if (spec is null)
            return 0;   // type-based relocations give 0 when the target type is missing
        switch (relo.Kind)
        {
            case BtfCoreReloKind.TypeIdTarget:
                val = (ulong)spec.RootTypeId;
                validate = false;   // the local id in the instruction may have changed during static linking
                return 0;
            case BtfCoreReloKind.TypeExists or BtfCoreReloKind.TypeMatches:
                val = 1;
                return 0;
            case BtfCoreReloKind.TypeSize:
                long sz = spec.Btf.ResolveSize(spec.RootTypeId);
                if (sz < 0)
                    return -Errno.EINVAL;
                val = (ulong)sz;
                return 0;
            default:
                return -Errno.EOPNOTSUPP;
        }
    }

    public static int Enumval(CoreRelo relo, CoreSpec? spec, out ulong val)
    {
        val = 0;
        switch (relo.Kind)
        {
            case BtfCoreReloKind.EnumvalExists:
                val = spec is null ? 0ul : 1ul;
                return 0;
            case BtfCoreReloKind.EnumvalValue:
                if (spec is null)
                    return -Errno.EUCLEAN;
                var acc = spec.Accessors[0];
                val = CoreNames.EnumValue(spec.Btf[acc.TypeId], acc.Index);
                return 0;
            default:
                return -Errno.EOPNOTSUPP;
        }
    }
}
