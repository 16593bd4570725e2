using System.Text;

namespace BpfLoader.SkeletonGen;

/// <summary>Indented C# text: <see cref="Line"/> writes one line, <see cref="Open"/>/<see cref="Close"/> a brace block.</summary>
internal sealed class SourceWriter
{
    private readonly StringBuilder _sb = new();
    private int _indent;

    public SourceWriter Line(string text = "")
    {
        if (text.Length > 0)
            _sb.Append(' ', _indent * 4).Append(text);
        _sb.Append('\n');
        return this;
    }

    public SourceWriter Open(string header)
    {
        Line(header);
        Line("{");
        _indent++;
        return this;
    }

    public SourceWriter Close(string suffix = "")
    {
        _indent--;
        return Line("}" + suffix);
    }

    /// <summary>A one-line XML doc summary; <paramref name="summary"/> is XML (callers escape C text themselves).</summary>
    public SourceWriter Doc(string summary) => Line($"/// <summary>{summary}</summary>");

    public override string ToString() => _sb.ToString();
}
