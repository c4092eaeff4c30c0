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
        var start = inner.Current.Start;
        switch (inner.Current)
        {
            case MappingStart or SequenceStart when ++_depth > maxDepth:
                throw new YamlException(in start, in start, $"nested deeper than {maxDepth} levels");
            case MappingStart m:
                _open.Push(m.Anchor.IsEmpty ? null : m.Anchor.Value);
                break;
            case SequenceStart q:
                _open.Push(q.Anchor.IsEmpty ? null : q.Anchor.Value);
                break;
            case MappingEnd or SequenceEnd:
                _depth--;
                _open.TryPop(out _);
                break;
            case AnchorAlias alias when _open.Contains(alias.Value.Value):
                // An alias inside the node its anchor names makes a cycle: YamlDotNet's node model then recurses
                // forever (a stack overflow, not an exception) when it hashes the node (fuzz/crashes/config/recursive-alias.yaml).
                throw new YamlException(in start, in start, $"alias `*{alias.Value.Value}` refers to a node that contains it");
        }

        return true;
    }

    // The anchors of the mappings and sequences being read, innermost last (null for one without an anchor).
    private readonly Stack<string?> _open = new();
}
