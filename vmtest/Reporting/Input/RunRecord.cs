using System.Text.Json;
using System.Text.Json.Serialization;

namespace BpfTests.Reporting.Input;

/// <summary>
/// <c>run.json</c> beside a vmtest kernel's results: what the runner knew of the run that the result
/// files do not say (release, verdict and its problems, wall and boot times). Written by
/// <c>vmtest run</c> after each kernel, read by the report.
/// </summary>
public sealed record RunRecord
{
    public const string FileName = "run.json";

    public required string Series { get; init; }
    public string? Release { get; init; }
    public bool Passed { get; init; }
    public IReadOnlyList<string> Problems { get; init; } = [];
    public double WallSeconds { get; init; }
    public double? InitUptime { get; init; }
    public double? CommandUptime { get; init; }
    public string? Filter { get; init; }

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public void Save(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, Options) + "\n");

    public static RunRecord? Load(string path)
    {
        if (!File.Exists(path)) return null;
        try { return JsonSerializer.Deserialize<RunRecord>(File.ReadAllText(path), Options); }
        catch (JsonException e) { throw new FormatException($"{path}: {e.Message}", e); }
    }
}
