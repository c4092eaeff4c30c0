using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Mandate.Server.Configuration;

/// <summary>
/// A YAML event parser that refuses nesting deeper than a limit. YamlDotNet's event parser is iterative but its
/// node model (<c>YamlStream.Load</c>) recurses once per level, so a file of a few hundred thousand <c>[</c>
/// would end the process with a stack overflow instead of a problem (found by fuzzing, fuzz/crashes/config).
/// </summary>
/// <param name="inner">The parser over the text.</param>
/// <param name="maxDepth">Deepest nesting of mappings and sequences allowed.</param>
internal sealed class DepthLimitedParser(IParser inner, int maxDepth) : IParser
{
    private int _depth;

    /// <inheritdoc />
    public ParsingEvent? Current => inner.Current;

    /// <summary>Where the last event read ends: when the reader fails without a location, the problem is after it.</summary>
    public Mark LastEnd { get; private set; } = Mark.Empty;

    /// <inheritdoc />
    public bool MoveNext()
    {
        if (!inner.MoveNext())
        {
            return false;
        }

        LastEnd = inner.Current!.End;
        switch (inner.Current)
        {
            case MappingStart or SequenceStart when ++_depth > maxDepth:
                var start = inner.Current.Start;
                throw new YamlException(in start, in start, $"nested deeper than {maxDepth} levels");
            case MappingEnd or SequenceEnd:
                _depth--;
                break;
        }

        return true;
    }
}
