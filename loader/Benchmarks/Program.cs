using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace BpfLoader.Benchmarks;

/// <summary>Runs the benchmarks in-process (no generated project to rebuild) with a short, fixed job.</summary>
public static class Program
{
    public static void Main(string[] args)
    {
        var job = Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithWarmupCount(3).WithIterationCount(15).WithLaunchCount(1);
        if (args.Contains("--cpu-clock"))   // times in process CPU time, for a loaded machine (ProcessCpuClock)
        {
            job = job.WithClock(ProcessCpuClock.Instance);
            args = [.. args.Where(a => a != "--cpu-clock")];
        }
        var config = DefaultConfig.Instance.AddJob(job).WithOptions(ConfigOptions.JoinSummary);
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args.Length == 0 ? ["--filter", "*"] : args, config);
    }
}
