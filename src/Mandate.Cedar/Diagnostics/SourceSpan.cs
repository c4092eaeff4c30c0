namespace Mandate.Cedar.Diagnostics;

/// <summary>
/// Where a node came from in its source text: a half-open range of UTF-16 offsets.
/// Spans are not part of a node's identity: two spans always compare equal, so records
/// that carry one stay structurally equal across parse → print → parse.
/// </summary>
public readonly struct SourceSpan(int start, int end) : IEquatable<SourceSpan>
{
    /// <summary>A span for nodes built in code rather than parsed.</summary>
    public static readonly SourceSpan None = new(-1, -1);

    /// <summary>Offset of the first character.</summary>
    public int Start { get; } = start;

    /// <summary>Offset one past the last character.</summary>
    public int End { get; } = end;

    /// <summary>Whether this span points into source text.</summary>
    public bool IsKnown => Start >= 0;

    /// <summary>The smallest span covering both.</summary>
    public SourceSpan To(SourceSpan other) =>
        !IsKnown ? other : !other.IsKnown ? this : new(Math.Min(Start, other.Start), Math.Max(End, other.End));

    /// <inheritdoc />
    public bool Equals(SourceSpan other) => true; // INVARIANT: spans never affect AST equality.

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is SourceSpan;

    /// <inheritdoc />
    public override int GetHashCode() => 0;

    /// <inheritdoc />
    public override string ToString() => IsKnown ? $"{Start}..{End}" : "?";
}
