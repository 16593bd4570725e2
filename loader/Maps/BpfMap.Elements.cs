using System.Runtime.InteropServices;
using BpfLoader.Diagnostics;
using BpfLoader.Kernel;

namespace BpfLoader.Maps;

// Element access: raw byte spans, and typed helpers for unmanaged keys and values.
public sealed partial class BpfMap
{
    /// <summary>Looks a key up; false when it is absent, an exception for any other error.</summary>
    public bool TryLookup(ReadOnlySpan<byte> key, Span<byte> value, ulong flags = 0)
    {
        CheckKey(key);
        CheckValue(value.Length, "lookup");
        int r = BpfSyscall.TryMapLookup(RequireFd(), key, value, flags);
        return r == -Errno.ENOENT ? false : OkOrThrow(r, "lookup");
    }

    /// <summary>Creates or replaces the element of <paramref name="key"/> (<c>BPF_MAP_UPDATE_ELEM</c>; <paramref name="flags"/>: BPF_ANY, BPF_NOEXIST, BPF_EXIST, BPF_F_LOCK).</summary>
    public void Update(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, ulong flags = BpfFlags.Any)
    {
        CheckKey(key);
        CheckValue(value.Length, "update");
        OkOrThrow(BpfSyscall.TryMapUpdate(RequireFd(), key, value, flags), "update");
    }

    /// <summary>Deletes a key; false when it was absent.</summary>
    public bool Delete(ReadOnlySpan<byte> key)
    {
        CheckKey(key);
        int r = BpfSyscall.TryMapDelete(RequireFd(), key);
        return r == -Errno.ENOENT ? false : OkOrThrow(r, "delete");
    }

    /// <summary>The key after <paramref name="key"/> (the first key when <paramref name="key"/> is empty); false at the end.</summary>
    public bool TryGetNextKey(ReadOnlySpan<byte> key, Span<byte> nextKey)
    {
        if (!key.IsEmpty)
            CheckKey(key);
        // The kernel writes key_size bytes into nextKey: a shorter span would be overrun.
        if (nextKey.Length != KeySize)
            throw new BpfException($"map '{Name}': get_next_key: next-key buffer has {nextKey.Length} bytes, the map's keys have {KeySize}", Errno.EINVAL);
        int r = BpfSyscall.TryMapGetNextKey(RequireFd(), key, nextKey);
        return r == -Errno.ENOENT ? false : OkOrThrow(r, "get_next_key");
    }

    /// <summary>Every key, in the kernel's iteration order.</summary>
    public IEnumerable<byte[]> Keys()
    {
        var key = Array.Empty<byte>();
        var next = new byte[KeySize];
        while (TryGetNextKey(key, next))
        {
            key = (byte[])next.Clone();
            yield return key;
        }
    }

    /// <summary>Reads the element of <paramref name="key"/> into <paramref name="value"/>; false when there is none.</summary>
    public bool TryLookup<TKey, TValue>(TKey key, out TValue value) where TKey : unmanaged where TValue : unmanaged
    {
        value = default;
        return TryLookup(AsBytes(key), MemoryMarshal.AsBytes(new Span<TValue>(ref value)));
    }

    /// <summary>The element of <paramref name="key"/>; a typed -ENOENT error when there is none.</summary>
    public TValue Lookup<TKey, TValue>(TKey key) where TKey : unmanaged where TValue : unmanaged
        => TryLookup(key, out TValue value) ? value : throw new BpfSyscallException($"map '{Name}': lookup", Errno.ENOENT);

    /// <summary>Creates or replaces the element of <paramref name="key"/> with <paramref name="value"/>.</summary>
    public void Update<TKey, TValue>(TKey key, TValue value, ulong flags = BpfFlags.Any) where TKey : unmanaged where TValue : unmanaged
        => Update(AsBytes(key), AsBytes(value), flags);

    /// <summary>Deletes the element of <paramref name="key"/>; false when there was none.</summary>
    public bool Delete<TKey>(TKey key) where TKey : unmanaged => Delete(AsBytes(key));

    /// <summary>Per-CPU lookup: one value per possible CPU.</summary>
    public TValue[]? LookupPerCpu<TKey, TValue>(TKey key) where TKey : unmanaged where TValue : unmanaged
    {
        RequirePerCpu<TValue>();
        var raw = new byte[KernelValueSize];
        if (!TryLookup(AsBytes(key), raw))
            return null;
        int stride = (int)((ValueSize + 7) & ~7u);
        var result = new TValue[PossibleCpus.Count];
        for (int cpu = 0; cpu < result.Length; cpu++)
            result[cpu] = MemoryMarshal.Read<TValue>(raw.AsSpan(cpu * stride, (int)ValueSize));
        return result;
    }

    /// <summary>Writes one value per possible CPU for <paramref name="key"/> in a per-CPU map.</summary>
    public void UpdatePerCpu<TKey, TValue>(TKey key, ReadOnlySpan<TValue> perCpuValues, ulong flags = BpfFlags.Any)
        where TKey : unmanaged where TValue : unmanaged
    {
        RequirePerCpu<TValue>();
        if (perCpuValues.Length != PossibleCpus.Count)
            throw new BpfException($"map '{Name}': per-CPU update needs {PossibleCpus.Count} values, got {perCpuValues.Length}", Errno.EINVAL);
        var raw = new byte[KernelValueSize];
        int stride = (int)((ValueSize + 7) & ~7u);
        for (int cpu = 0; cpu < perCpuValues.Length; cpu++)
            MemoryMarshal.Write(raw.AsSpan(cpu * stride), in perCpuValues[cpu]);
        Update(AsBytes(key), raw, flags);
    }

    private void RequirePerCpu<TValue>() where TValue : unmanaged
    {
        if (!IsPerCpu)
            throw new BpfException($"map '{Name}': {Type} is not a per-CPU map", Errno.EINVAL);
        if (Marshal.SizeOf<TValue>() != ValueSize)
            throw new BpfException($"map '{Name}': value type {typeof(TValue).Name} has {Marshal.SizeOf<TValue>()} bytes, the map's values have {ValueSize}", Errno.EINVAL);
    }

    private void CheckKey(ReadOnlySpan<byte> key)
    {
        if (key.Length != KeySize)
            throw new BpfException($"map '{Name}': key has {key.Length} bytes, the map's keys have {KeySize}", Errno.EINVAL);
    }

    private void CheckValue(int length, string operation)
    {
        if (length != KernelValueSize)
            throw new BpfException($"map '{Name}': {operation}: value buffer has {length} bytes, the map needs {KernelValueSize}", Errno.EINVAL);
    }

    private bool OkOrThrow(int r, string operation)
    {
        if (r < 0)
            throw new BpfSyscallException($"map '{Name}': {operation}", -r);
        return true;
    }
}
