namespace Mandate.Core.Tokens;

/// <summary>
/// How a grant entry (a tool, action or resource string) covers another. Entries are opaque strings with one rule:
/// an entry ending in <c>*</c> is a prefix pattern (<c>https://api.example.com/repos/acme/*</c>,
/// <c>mcp.tools.call:github/*</c>, or <c>*</c> for everything); any other entry matches only itself (ordinal).
/// </summary>
/// <remarks>
/// A pattern covers another pattern when its prefix is a prefix of the other's: <c>a/*</c> covers <c>a/b/*</c>, not
/// the reverse. Plain <c>StartsWith</c> gives exactly that, because a narrower pattern's text starts with the
/// broader pattern's prefix.
/// </remarks>
public static class GrantPatterns
{
    /// <summary>True when <paramref name="pattern"/> covers <paramref name="value"/> (itself an entry or a pattern).</summary>
    public static bool Covers(string pattern, string value) =>
        pattern.Length > 0 && pattern[^1] == '*'
            ? value.AsSpan().StartsWith(pattern.AsSpan(0, pattern.Length - 1), StringComparison.Ordinal)
            : string.Equals(pattern, value, StringComparison.Ordinal);

    /// <summary>True when some entry of <paramref name="patterns"/> covers <paramref name="value"/>.</summary>
    public static bool AnyCovers(IReadOnlyList<string> patterns, string value)
    {
        for (var i = 0; i < patterns.Count; i++)
        {
            if (Covers(patterns[i], value))
            {
                return true;
            }
        }
        return false;
    }
}
