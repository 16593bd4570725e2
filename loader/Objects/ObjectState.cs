namespace BpfLoader.Objects;

/// <summary>libbpf's object states: OPEN → PREPARED → LOADED (LOADED also after a failed load).</summary>
public enum ObjectState
{
    /// <summary>Parsed; settings may change.</summary>
    Open,
    /// <summary>Relocated and ready to load (libbpf's <c>bpf_object__prepare</c>).</summary>
    Prepared,
    /// <summary>Maps created and programs loaded.</summary>
    Loaded,
}
