namespace BpfLoader.ArgCtx;

/// <summary>When the loader rewrites <c>__arg_ctx</c> parameters for kernels that do not understand the tag.</summary>
public enum ArgCtxFallbackMode
{
    /// <summary>libbpf's behaviour: rewrite only when the kernel lacks native arg:ctx support (probed once per process).</summary>
    Automatic,
    /// <summary>Rewrite even where the kernel supports the tag natively, so a new kernel exercises the rewrite.</summary>
    Forced,
    /// <summary>Never rewrite: on a kernel before v6.8 tagged programs then fail as they would without libbpf.</summary>
    Off,
}
