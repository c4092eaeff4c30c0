namespace Mandate.Core.Mcp;

/// <summary>
/// The character rules for names that become part of a Cedar entity id. Checked on the decoded string, so an
/// escaped spelling is held to the same rule; nothing is trimmed or folded, so a trailing space, a zero-width
/// character or a look-alike letter makes a name invalid rather than silently equal to another.
/// </summary>
public static class McpNames
{
    /// <summary>Longest tool or prompt name.</summary>
    public const int MaxNameLength = 128;

    /// <summary>Longest resource URI.</summary>
    public const int MaxUriLength = 2048;

    /// <summary>Longest upstream server name.</summary>
    public const int MaxServerNameLength = 64;

    /// <summary>
    /// True when <paramref name="name"/> (a configured upstream name) is 1..64 characters of <c>[A-Za-z0-9_.\-]</c>.
    /// No <c>/</c>: it separates the server from the tool in entity ids, so <c>a/b</c> + <c>c</c> could pose as <c>a</c> + <c>b/c</c>.
    /// </summary>
    public static bool IsValidServerName(string? name) =>
        name is { Length: > 0 and <= MaxServerNameLength } && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-');

    /// <summary>True when <paramref name="name"/> is 1..128 characters of <c>[A-Za-z0-9_.\-/]</c>.</summary>
    public static bool IsValidName(string? name) =>
        name is { Length: > 0 and <= MaxNameLength } && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-' or '/');

    /// <summary>
    /// True when <paramref name="uri"/> is 1..2048 printable ASCII characters (no space, no control character;
    /// RFC 3986 percent-encodes everything else), so two different ids never look alike.
    /// </summary>
    public static bool IsValidUri(string? uri) =>
        uri is { Length: > 0 and <= MaxUriLength } && uri.All(c => c is > ' ' and < '\u007f');
}
