namespace BpfLoader.Kernel;

/// <summary>
/// The calls the loader plants where it cannot resolve an instruction (libbpf's poison values): a call to an
/// unknown helper, which the verifier refuses only if it is reachable, reporting
/// <c>invalid func unknown#IMM</c>. The verifier-log fix-up recognizes the immediates and says what went wrong.
/// </summary>
internal static class PoisonedCall
{
    /// <summary>0xbad2310 ("bad relo"), an unresolved CO-RE relocation: <c>invalid func unknown#195896080</c>.</summary>
    public const int CoreRelo = 0xbad2310;

    /// <summary>libbpf's POISON_LDIMM64_MAP_BASE: + the index of a map that was not created.</summary>
    public const int MapBase = 2001000000;

    /// <summary>libbpf's POISON_CALL_KFUNC_BASE: + the index of an unresolved weak kfunc extern.</summary>
    public const int KfuncBase = 2002000000;

    /// <summary>The call instruction carrying <paramref name="imm"/>.</summary>
    public static Instruction With(int imm) => new() { Code = Instruction.Call, Imm = imm };

    /// <summary>What the verifier says about a poisoned call with <paramref name="imm"/>.</summary>
    public static string VerifierComplaint(int imm) => $"invalid func unknown#{imm}";
}
