namespace BpfLoader.Maps;

/// <summary>libbpf's <c>enum libbpf_pin_type</c> as written in a BTF map definition's <c>pinning</c> field.</summary>
public enum PinningType
{
    /// <summary>Not pinned (LIBBPF_PIN_NONE).</summary>
    None = 0,
    /// <summary>Pin under the pin root (default /sys/fs/bpf) by the map's name.</summary>
    ByName = 1,
}
