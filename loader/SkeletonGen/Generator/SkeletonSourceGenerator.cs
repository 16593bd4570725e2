using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace BpfLoader.SkeletonGen;

/// <summary>
/// Generates a skeleton or subskeleton class for each BPF object given as an AdditionalFiles item with
/// <c>BpfSkeleton="skeleton|subskeleton"</c> metadata (optional <c>BpfSkeletonName</c>: the object name, as
/// bpftool's <c>name</c>; <c>BpfSkeletonNamespace</c>: the namespace, default <c>$(RootNamespace).Skeletons</c>).
/// The item is the object's bytes in base64 (<c>x.o.b64</c>, written by progs/Skeletons.targets): AdditionalText
/// only offers decoded text, which would corrupt a binary file, and analyzers must not read files themselves.
/// A generation failure is reported as error BPFSKEL001 naming the object.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class SkeletonSourceGenerator : IIncrementalGenerator
{
    private static readonly DiagnosticDescriptor Failed = new(
        "BPFSKEL001", "BPF skeleton generation failed", "Cannot generate the {0} of '{1}': {2}", "BpfSkeleton",
        DiagnosticSeverity.Error, isEnabledByDefault: true);

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var requests = context.AdditionalTextsProvider
            .Combine(context.AnalyzerConfigOptionsProvider)
            .Select((pair, _) =>
            {
                var options = pair.Right.GetOptions(pair.Left);
                options.TryGetValue("build_metadata.AdditionalFiles.BpfSkeleton", out var kind);
                options.TryGetValue("build_metadata.AdditionalFiles.BpfSkeletonName", out var name);
                options.TryGetValue("build_metadata.AdditionalFiles.BpfSkeletonNamespace", out var ns);
                options.TryGetValue("build_metadata.AdditionalFiles.BpfSkeletonResource", out var resource);
                pair.Right.GlobalOptions.TryGetValue("build_property.RootNamespace", out var root);
                if (string.IsNullOrEmpty(ns))
                    ns = string.IsNullOrEmpty(root) ? "BpfSkeletons" : root + ".Skeletons";
                return new Item(pair.Left, kind ?? "", name ?? "", ns!, resource ?? "");
            })
            .Where(item => item.Kind is "skeleton" or "subskeleton");
        context.RegisterSourceOutput(requests, static (spc, item) =>
        {
            var kind = item.Kind == "subskeleton" ? SkeletonKind.Subskeleton : SkeletonKind.Skeleton;
            try
            {
                var text = item.File.GetText(spc.CancellationToken)?.ToString()
                    ?? throw new SkeletonGenException("the file could not be read");
                var bytes = Convert.FromBase64String(text.Trim());
                string objectFile = item.Path.EndsWith(".b64", StringComparison.Ordinal) ? item.Path.Substring(0, item.Path.Length - 4) : item.Path;
                var request = new SkeletonRequest(bytes, objectFile, kind, item.Name.Length > 0 ? item.Name : null, item.Namespace,
                    item.Resource.Length > 0 ? item.Resource : null);
                string source = SkeletonEmitter.Generate(request);
                string cls = SkeletonEmitter.ClassNameOf(SkeletonEmitter.ObjectNameOf(objectFile, request.ObjectName));
                spc.AddSource($"{item.Namespace}.{cls}.{item.Kind}.g.cs", SourceText.From(source, Encoding.UTF8));
            }
            catch (Exception e) when (e is SkeletonGenException or FormatException)
            {
                spc.ReportDiagnostic(Diagnostic.Create(Failed, Location.None, item.Kind, item.Path, e.Message));
            }
        });
    }

    private sealed record Item(AdditionalText File, string Kind, string Name, string Namespace, string Resource)
    {
        public string Path => File.Path;
    }
}
