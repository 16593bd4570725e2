using BpfLoader.Diagnostics;
using BpfLoader.Kernel;
using BpfLoader.Programs;

namespace BpfTests.Reliability.KernelFaults;

/// <summary>How one load under an injected fault ended, as the checks see it.</summary>
/// <param name="Command">The bpf(2) command the fault hit.</param>
/// <param name="Errno">The injected errno (positive).</param>
/// <param name="Injected">How many commands the plan made fail (the step and its retries).</param>
/// <param name="Error">What the load threw, or null when it succeeded.</param>
/// <param name="Log">libbpf's WARN/INFO lines of the load.</param>
/// <param name="BtfMandatory">The object has struct_ops maps, so its BTF must load.</param>
internal sealed record FaultOutcome(BpfCommand Command, int Errno, int Injected, BpfException? Error, string Log, bool BtfMandatory);

/// <summary>
/// What libbpf 1.7 does when the kernel keeps refusing one step of a load (the step and every immediate retry
/// of it fail with the same errno), as a pure decision: the load fails with that errno and libbpf's line for
/// the step, or — for the steps libbpf tolerates — goes on with the line that says so. Returns what does not
/// match; an empty list is a pass.
/// </summary>
internal static class FaultExpectation
{
    public static IReadOnlyList<string> Violations(FaultOutcome o)
    {
        var problems = new List<string>();
        string e = Errno.Str(-o.Errno);

        void Expect(string text)
        {
            if (!o.Log.Contains(text, StringComparison.Ordinal))
                problems.Add($"libbpf log lacks \"{text}\"");
        }

        void ExpectFailure()
        {
            if (o.Error is null)
                problems.Add($"load succeeded although {o.Command} kept failing with {e}");
            else if (o.Error.Error != -o.Errno)
                problems.Add($"load failed with {Errno.Str(o.Error.Error)} instead of the injected {e}: {o.Error.Message}");
        }

        switch (o.Command)
        {
            case BpfCommand.BtfLoad when !o.BtfMandatory:
                // Object BTF is optional without struct_ops: libbpf warns, goes on without it, and the kernel may
                // then refuse a program that needs BTF: either end is right, with the two lines.
                Expect($"libbpf: BTF loading error: {e}\n");
                Expect($"libbpf: Error loading .BTF into kernel: {e}. BTF is optional, ignoring.\n");
                if (o.Injected != 2)
                    problems.Add($"BTF load tried {o.Injected} times, expected 2 (without and with a log)");
                break;
            case BpfCommand.BtfLoad:
                ExpectFailure();
                Expect($"libbpf: Error loading .BTF into kernel: {e}. BTF is mandatory, can't proceed.\n");
                break;
            case BpfCommand.MapCreate:
                ExpectFailure();
                ExpectMatch(problems, o.Log, $@"libbpf: map '[^']+': failed to create: {e}\n");
                break;
            case BpfCommand.MapUpdateElem:
                ExpectFailure();
                ExpectMatch(problems, o.Log, $@"libbpf: map '[^']+': failed to (set initial contents|initialize slot \[\d+\] to '[^']+'): {e}\n");
                break;
            case BpfCommand.MapFreeze:
                ExpectFailure();
                ExpectMatch(problems, o.Log, $@"libbpf: map '[^']+': failed to freeze as read-only: {e}\n");
                break;
            case BpfCommand.ProgLoad:
                ExpectFailure();
                ExpectMatch(problems, o.Log, $@"libbpf: prog '[^']+': BPF program load failed: {e}\n");
                ExpectMatch(problems, o.Log, $@"libbpf: prog '[^']+': failed to load: {e}\n");
                Expect("libbpf: failed to load object '");
                int attempts = ProgLoadAttempts(o.Errno);
                if (o.Injected != attempts)
                    problems.Add($"BPF_PROG_LOAD tried {o.Injected} times under {e}, libbpf tries {attempts}");
                break;
            case BpfCommand.ProgBindMap:
                // Binding .rodata to a program is best effort: EINVAL (old kernel) silently, anything else warned.
                if (o.Error is not null)
                    problems.Add($"a failed BPF_PROG_BIND_MAP failed the load: {o.Error.Message}");
                if (o.Errno != Errno.EINVAL)
                    ExpectMatch(problems, o.Log, $@"libbpf: prog '[^']+': failed to bind map '[^']+': {e}\n");
                break;
            case BpfCommand.ObjPin:
                ExpectFailure();
                ExpectMatch(problems, o.Log, $@"libbpf: map '[^']+': failed to auto-pin at '[^']+': {e}\n");
                break;
            case BpfCommand.ObjGet:
                ExpectFailure();
                ExpectMatch(problems, o.Log, $@"libbpf: couldn't retrieve pinned map '[^']+': {e}\n");
                ExpectMatch(problems, o.Log, @"libbpf: map '[^']+': error reusing pinned map\n");
                break;
            case BpfCommand.ObjGetInfoByFd:
                // Only pin reuse asks for info during a load: without it the pin cannot be judged compatible.
                if (o.Error?.Error != -Errno.EINVAL)
                    problems.Add($"a pin that could not be inspected should fail the load with -EINVAL, got {(o.Error is null ? "success" : Errno.Str(o.Error.Error))}");
                ExpectMatch(problems, o.Log, $@"libbpf: failed to get map info for map FD \d+: {e}\n");
                ExpectMatch(problems, o.Log, @"libbpf: couldn't reuse pinned map at '[^']+': parameter mismatch\n");
                break;
            default:
                problems.Add($"no expectation for a fault in {o.Command}: add libbpf's behaviour for it");
                break;
        }
        return problems;
    }

    /// <summary>
    /// How often libbpf issues BPF_PROG_LOAD for one program while every attempt fails with <paramref name="errno"/>:
    /// without a log, then with one; on ENOSPC again with the log buffer doubled while it stays at most
    /// UINT_MAX / 2; each attempt repeated up to 5 times on EAGAIN (PROG_LOAD_ATTEMPTS).
    /// </summary>
    public static int ProgLoadAttempts(int errno)
    {
        int withLog = 1;
        if (errno == Errno.ENOSPC)
            for (ulong size = ProgramLoad.DefaultLogSize; size <= uint.MaxValue / 2; size *= 2)
                withLog++;
        return (1 + withLog) * (errno == Errno.EAGAIN ? ProgramLoad.LoadAttempts : 1);
    }

    private static void ExpectMatch(List<string> problems, string log, string pattern)
    {
        if (!System.Text.RegularExpressions.Regex.IsMatch(log, pattern))
            problems.Add($"libbpf log has no line matching /{pattern.TrimEnd('n').TrimEnd('\\')}/");
    }
}
