using BpfFuzz;

// ./run.sh fuzz [--cases N] [--first INDEX] [--seed S] [--target open|btf|btfext|cdump] [--load-every N] [--progs DIR] [--include PREFIX]
//               [--max-minutes M]
//               [--fixtures DIR] [--reproduce INDEX --out FILE] [--replay FIXTURE]
// Exit code: 0 no finding, 1 findings (written as fixtures), 2 usage, 3 a hang (reported by the watchdog).
var options = new FuzzOptions();
string progs = Path.Combine(AppContext.BaseDirectory, "progs");
long? reproduce = null;
string? include = null;
string? output = null;
for (int i = 0; i < args.Length; i++)
{
    string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
    switch (args[i])
    {
        case "--cases": options = options with { Cases = long.Parse(Value()) }; break;
        case "--max-minutes": options = options with { MaxDuration = TimeSpan.FromMinutes(double.Parse(Value(), System.Globalization.CultureInfo.InvariantCulture)) }; break;
        case "--first": options = options with { First = long.Parse(Value()) }; break;
        case "--seed": options = options with { Seed = long.Parse(Value()) }; break;
        case "--target": options = options with { Target = Enum.Parse<FuzzTarget>(Value(), ignoreCase: true) }; break;
        case "--load-every": options = options with { LoadEvery = int.Parse(Value()) }; break;
        case "--no-kernel-btf": options = options with { IncludeKernelBtf = false }; break;
        case "--progs": progs = Value(); break;
        case "--include": include = Value(); break;
        case "--fixtures": options = options with { FixtureDirectory = Value() }; break;
        case "--state": options = options with { StateFile = Value() }; break;
        case "--reproduce": reproduce = long.Parse(Value()); break;
        case "--out": output = Value(); break;
        case "--replay":
        {
            var outcome = Fixtures.Replay(Value(), "/sys/fs/bpf");
            Console.WriteLine(outcome.Violation is { } v ? $"{v.Kind}: {v.Detail}" : outcome.Accepted ? "accepted" : $"typed error {outcome.Errno}");
            return outcome.Violation is null ? 0 : 1;
        }
        default:
            Console.Error.WriteLine($"fuzz: unknown option '{args[i]}'");
            return 2;
    }
}

var corpus = Corpus.Load(progs, options.IncludeKernelBtf, include is null ? null : name => name.StartsWith(include, StringComparison.Ordinal));
var runner = new FuzzRunner(corpus, options with { Progress = line => Console.WriteLine($"fuzz: {line}") });
if (reproduce is long index)
{
    var (target, input, bytes, mutation) = runner.Reproduce(index);
    Console.WriteLine($"case {index} (seed {options.Seed}): {target} on {input}: {mutation}");
    if (output is not null)
        File.WriteAllBytes(output, bytes);
    return 0;
}
Console.WriteLine($"fuzz: seed {options.Seed}, {options.Cases} cases, target {options.Target?.ToString() ?? "all"}, " +
    $"{corpus.Objects.Count} objects, {corpus.RawBtfs.Count} object BTFs, {corpus.LargeBtfs.Count} kernel BTFs");
var report = runner.Run();
Console.Write(report);
return report.Findings.Count == 0 ? 0 : 1;
