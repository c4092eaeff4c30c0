using Mandate.Cedar.Diagnostics;

namespace Mandate.Cedar.Syntax;

/// <summary>Collects the diagnostics of one source text and turns offsets into lines and columns.</summary>
internal sealed class DiagnosticSink(string text, string? fileName)
{
    private readonly List<CedarDiagnostic> _items = [];
    private int[]? _lineStarts; // built on the first error only, so clean parses pay nothing

    public int Count => _items.Count;

    public IReadOnlyList<CedarDiagnostic> Items => _items;

    /// <summary>The diagnostics in source order (the lexer reports before the parser, so raw order is not).</summary>
    public IEnumerable<CedarDiagnostic> InSourceOrder() => _items.OrderBy(d => d.Span.Start);

    public void Add(string code, string message, int start, int end)
    {
        var (line, column) = Locate(start);
        _items.Add(new CedarDiagnostic(code, message, fileName, line, column, new SourceSpan(start, Math.Max(start, end))));
    }

    /// <summary>1-based line and column of <paramref name="offset"/>.</summary>
    public (int Line, int Column) Locate(int offset)
    {
        _lineStarts ??= ComputeLineStarts(text);
        offset = Math.Clamp(offset, 0, text.Length);
        var index = Array.BinarySearch(_lineStarts, offset);
        if (index < 0) index = ~index - 1;
        return (index + 1, offset - _lineStarts[index] + 1);
    }

    private static int[] ComputeLineStarts(string text)
    {
        var starts = new List<int> { 0 };
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\n') starts.Add(i + 1);
            else if (c == '\r' && (i + 1 >= text.Length || text[i + 1] != '\n')) starts.Add(i + 1);
        }
        return [.. starts];
    }
}
