using System.Diagnostics;
using NUnit.Framework;

namespace BpfTests.Btf;

/// <summary>Runs reference tools (bpftool, llvm-objcopy) for comparisons; never used by product code.</summary>
internal static class BtfTestUtil
{
    public const string VmlinuxPath = "/sys/kernel/btf/vmlinux";

    /// <summary>stdout of a tool; fails the test with stderr on a non-zero exit.</summary>
    public static string Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {file}");
        var stderrTask = p.StandardError.ReadToEndAsync();
        string stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0)
            Assert.Fail($"{file} {string.Join(' ', args)} exited with {p.ExitCode}: {stderrTask.Result}");
        return stdout;
    }

    /// <summary>bpftool's raw dump of a BTF file (split on <paramref name="basePath"/> if given).</summary>
    public static string BpftoolRaw(string path, string? basePath = null)
        => basePath is null
            ? Run("bpftool", "btf", "dump", "file", path, "format", "raw")
            : Run("bpftool", "-B", basePath, "btf", "dump", "file", path, "format", "raw");

    /// <summary>Splits a raw dump into per-type blocks keyed by id ("[id] KIND ..." plus its indented lines).</summary>
    public static Dictionary<int, string> SplitRawDump(string dump)
    {
        var result = new Dictionary<int, string>();
        int id = -1;
        var block = new System.Text.StringBuilder();
        foreach (var line in dump.Split('\n'))
        {
            if (line.StartsWith('['))
            {
                if (id >= 0)
                    result[id] = block.ToString();
                id = int.Parse(line.AsSpan(1, line.IndexOf(']') - 1), System.Globalization.CultureInfo.InvariantCulture);
                block.Clear().Append(line);
            }
            else if (line.Length > 0)
                block.Append('\n').Append(line);
        }
        if (id >= 0)
            result[id] = block.ToString();
        return result;
    }

    /// <summary>First differing line of two multi-line texts, for readable failures.</summary>
    public static string FirstDifference(string expected, string actual)
    {
        var e = expected.Split('\n');
        var a = actual.Split('\n');
        for (int i = 0; i < Math.Max(e.Length, a.Length); i++)
        {
            string el = i < e.Length ? e[i] : "<end>", al = i < a.Length ? a[i] : "<end>";
            if (el != al)
                return $"line {i + 1}: expected «{el}» got «{al}»";
        }
        return "identical";
    }

    public static string TempDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "bpftests-btf-" + Environment.ProcessId);
        Directory.CreateDirectory(dir);
        return dir;
    }

    public static string ProgPath(string name) => Path.Combine(AppContext.BaseDirectory, "progs", name);

    /// <summary>Extracts ELF sections of a BPF object with llvm-objcopy (the ELF reader is not part of this layer).</summary>
    public static Dictionary<string, byte[]> DumpSections(string objPath, params string[] sections)
    {
        var dir = TempDir();
        var args = new List<string>();
        var files = new Dictionary<string, string>();
        foreach (var s in sections)
        {
            var f = Path.Combine(dir, Path.GetFileName(objPath) + s.Replace('/', '_'));
            files[s] = f;
            args.Add("--dump-section");
            args.Add($"{s}={f}");
        }
        args.Add(objPath);
        args.Add(Path.Combine(dir, "objcopy-out.o"));
        Run("llvm-objcopy-19", args.ToArray());
        return files.ToDictionary(kv => kv.Key, kv => File.ReadAllBytes(kv.Value));
    }
}
