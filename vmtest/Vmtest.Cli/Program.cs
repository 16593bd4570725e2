using BpfTests.Vmtest.Exec;
using BpfTests.Vmtest.Provision;
using BpfTests.Vmtest.Run;

// vmtest — see Usage below. Exit codes: 0 all kernels green, 1 a kernel red, 2 runner error, 64 usage.
const string Usage = """
usage: vmtest <command> [options]
  prepare [--kernel S]...        fetch kernels and QEMU, build bpf_testmod and initramfs (cached)
  run [--kernel S]... [options]  boot each kernel (default matrix: 6.1 6.12 7.2) and run the tests
      --mode test_progs|mtp|dotnet-test
                                 in-guest runner: the test_progs front end (default; its -J JSON
                                 feeds the report), the MTP test executable (default with --filter), or `dotnet test`
      --filter EXPR              test filter (VSTest/MTP syntax; mtp/dotnet-test modes), with the deny lists
      --assembly PATH            run this test assembly (any NUnit/xUnit/MSTest .dll, e.g. your own project's)
                                 with `dotnet test` in the guest instead of this repository's suite; no deny lists
      -- ARGS...                 test_progs flags for the guest run (e.g. -- -a subskeleton -v)
      --shell CMD                run CMD in the guest instead of the tests
      --timeout SECONDS          guest-side limit for the test command (default 1200)
      --allow-skip               let closed feature gates skip (default: BPFTESTS_NO_SKIP=1, they fail)
      --no-denylist              ignore DENYLIST files
      --kvm                      use KVM if a probe boot proves it works (TCG otherwise)
  bench [--kernel S]...          boot-to-init and a trivial whole run per kernel
  testmod --kernel S             print the path of bpf_testmod.ko built for kernel S
  references                     unpack the reference libraries of the lock file (libbpf 1.7, bpftool 7.8)
""" + BpfTests.Vmtest.Cli.ReportCli.Usage + "\n";

if (args.Length > 0 && args[0] == "report") return BpfTests.Vmtest.Cli.ReportCli.Run(args[1..]);

var cmd = args.Length > 0 ? args[0] : "";
var opts = args.Skip(1).ToList();
var kernels = new List<string>();
string? mode = null, filter = null, shell = null, assembly = null;
var testProgsArgs = new List<string>();
int timeout = 1200;
bool noSkip = true;
bool kvm = false, denylist = true;
for (var i = 0; i < opts.Count; i++)
{
    string Next() => i + 1 < opts.Count ? opts[++i] : throw new ArgumentException($"{opts[i]} needs a value");
    try
    {
        if (opts[i] == "--")
        {
            testProgsArgs.AddRange(opts.Skip(i + 1));
            break;
        }
        switch (opts[i])
        {
            case "--kernel": kernels.Add(Next()); break;
            case "--mode": mode = Next(); break;
            case "--filter": filter = Next(); break;
            case "--shell": shell = Next(); break;
            case "--assembly": assembly = Path.GetFullPath(Next()); break;
            case "--timeout": timeout = int.Parse(Next()); break;
            case "--allow-skip": noSkip = false; break;
            case "--no-denylist": denylist = false; break;
            case "--kvm": kvm = true; break;
            default: throw new ArgumentException($"unknown option {opts[i]}");
        }
    }
    catch (Exception e) when (e is ArgumentException or FormatException)
    {
        Console.Error.WriteLine($"vmtest: {e.Message}\n{Usage}");
        return 64;
    }
}
if (kernels.Count == 0) kernels.AddRange(Matrix.Default);

using var cts = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; cts.Cancel(); };
var progress = ConsoleProgress.ForConsole();
try
{
    var paths = VmtestPaths.Discover(Environment.CurrentDirectory);
    var provisioner = new Provisioner(paths, LockFile.Load(paths.LockFile), m => progress.Info("prepare", m));
    switch (cmd)
    {
        case "prepare":
            foreach (var s in kernels)
            {
                var k = await provisioner.KernelAsync(provisioner.Lock.Kernel(s), cts.Token);
                await provisioner.TestmodAsync(k, cts.Token);
                await BpfTests.Vmtest.Boot.Initramfs.EnsureAsync(paths, k, cts.Token);
                progress.Info(s, $"ready: {k.Root}");
            }
            await provisioner.QemuAsync(cts.Token);
            return 0;

        case "references":
            foreach (var r in provisioner.Lock.References)
                progress.Info(r.Name, $"ready: {await provisioner.ReferenceAsync(r.Name, cts.Token)}");
            return 0;

        case "testmod":
            if (kernels.Count != 1) throw new ArgumentException("testmod needs exactly one --kernel");
            Console.WriteLine(await provisioner.TestmodAsync(await provisioner.KernelAsync(provisioner.Lock.Kernel(kernels[0]), cts.Token), cts.Token));
            return 0;

        case "run":
        {
            var testMode = shell != null ? TestMode.Shell : mode switch
            {
                // a user's own test assembly runs under `dotnet test` (no MTP executable or test_progs exists for it)
                null or "dotnet-test" when assembly != null => TestMode.DotnetTest,
                _ when assembly != null => throw new ArgumentException("--assembly runs under --mode dotnet-test only"),
                // test_progs is the default (upstream's lines in the console, its JSON for the verdict and the
                // report); a VSTest/MTP --filter only means something to the MTP executable, so it selects that.
                null when filter != null => TestMode.Mtp,
                null or "test_progs" => TestMode.TestProgs,
                "mtp" => TestMode.Mtp,
                "dotnet-test" => TestMode.DotnetTest,
                _ => throw new ArgumentException($"unknown --mode {mode}"),
            };
            if (testProgsArgs.Count > 0 && testMode != TestMode.TestProgs) throw new ArgumentException("test_progs flags after -- need --mode test_progs");
            if (filter != null && testMode == TestMode.TestProgs) throw new ArgumentException("--filter is VSTest/MTP syntax (--mode mtp); test_progs selects with flags after -- (-- -t NAME, -a GLOB)");
            var results = new List<KernelRunResult>();
            var runner = new KernelRun(provisioner, progress);
            foreach (var s in kernels)
            {
                var r = await runner.RunAsync(new RunRequest
                {
                    Series = s, Mode = testMode, Filter = filter, ShellCommand = shell, TestTimeout = TimeSpan.FromSeconds(timeout),
                    NoSkip = noSkip, TryKvm = kvm, UseDenyList = denylist && assembly == null, TestProgsArgs = testProgsArgs, Assembly = assembly,
                }, cts.Token);
                results.Add(r);
                // the report's "filter" of a column: the MTP filter, or the user's test_progs flags
                BpfTests.Vmtest.Cli.ReportCli.SaveRunRecord(r, testProgsArgs.Count > 0 ? string.Join(' ', testProgsArgs) : filter);
                Report.Kernel(r, Console.Out);
            }
            BpfTests.Vmtest.Cli.ReportCli.SaveLastRun(paths, results);
            Console.WriteLine();
            Console.Write(Matrix.Table(results));
            var t = results.Select(r => r.Verdict.Tests).ToList();
            // the closing line CI reads; kernels whose run broke count as one failure each
            Console.WriteLine($"vmtest: {t.Sum(x => x?.Passed ?? 0)} passed, {t.Sum(x => x?.Failed ?? 0) + results.Count(r => !r.Verdict.Passed && (r.Verdict.Tests?.Failed ?? 0) == 0)} failed, {t.Sum(x => x?.Skipped ?? 0)} skipped");
            return results.All(r => r.Verdict.Passed) ? 0 : 1;
        }

        case "bench":
            return await Bench.RunAsync(provisioner, kernels, progress, cts.Token);

        default:
            Console.Error.Write(Usage);
            return 64;
    }
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"vmtest: {e.Message}\n{Usage}");
    return 64;
}
catch (VmtestException e)
{
    Console.Error.WriteLine($"vmtest: error: {e.Message}");
    return 2;
}
catch (OperationCanceledException)
{
    Console.Error.WriteLine("vmtest: cancelled");
    return 2;
}
