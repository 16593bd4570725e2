namespace BpfLoader.Objects;

/// <summary>libbpf's object states: OPEN → PREPARED → LOADED (LOADED also after a failed load).</summary>
public enum ObjectState
{
    Open,
    Prepared,
    Loaded,
}
