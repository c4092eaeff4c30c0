namespace Mandate.Cedar.Ast;

/// <summary>
/// A <c>like</c> pattern: literal text and <c>*</c> wildcards, in order. An escaped <c>\*</c>
/// in the source is literal text here. Adjacent wildcards are kept as written.
/// </summary>
public sealed record LikePattern(ValueList<LikePatternPart> Parts);

/// <summary>Either one wildcard or a run of literal text.</summary>
public readonly record struct LikePatternPart(bool IsWildcard, string Text)
{
    /// <summary>The wildcard part.</summary>
    public static LikePatternPart Wildcard => new(true, "");

    /// <summary>A literal part.</summary>
    public static LikePatternPart Literal(string text) => new(false, text);
}
