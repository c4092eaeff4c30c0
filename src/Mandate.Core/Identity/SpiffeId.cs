namespace Mandate.Core.Identity;

/// <summary>
/// A SPIFFE ID (<c>spiffe://trust-domain/path</c>) validated per the SPIFFE ID specification §2:
/// lowercase scheme, trust domain of <c>[a-z0-9.-_]</c>, path segments of <c>[a-zA-Z0-9.-_]</c> that are
/// neither empty nor <c>.</c>/<c>..</c>, no trailing slash, no port, user info, query or fragment.
/// </summary>
public sealed record SpiffeId
{
    private const string Scheme = "spiffe://";
    private const int MaxLength = 2048;
    private const int MaxTrustDomainLength = 255;

    private SpiffeId(string value, string trustDomain, string path)
    {
        Value = value;
        TrustDomain = trustDomain;
        Path = path;
    }

    /// <summary>The whole ID, e.g. <c>spiffe://example.org/agent/a</c>.</summary>
    public string Value { get; }

    /// <summary>The trust domain name, e.g. <c>example.org</c>.</summary>
    public string TrustDomain { get; }

    /// <summary>The path, e.g. <c>/agent/a</c>, or empty for the trust domain itself.</summary>
    public string Path { get; }

    /// <summary>The trust domain as an ID: <c>spiffe://example.org</c>.</summary>
    public string TrustDomainId => Scheme + TrustDomain;

    /// <summary>Parses <paramref name="value"/>; null when it is not a valid SPIFFE ID.</summary>
    public static SpiffeId? TryParse(string? value)
    {
        if (value is null || value.Length > MaxLength || !value.StartsWith(Scheme, StringComparison.Ordinal))
        {
            return null;
        }
        var rest = value.AsSpan(Scheme.Length);
        var slash = rest.IndexOf('/');
        var trustDomain = slash < 0 ? rest : rest[..slash];
        var path = slash < 0 ? [] : rest[slash..];
        if (!IsValidTrustDomain(trustDomain) || !IsValidPath(path))
        {
            return null;
        }
        return new SpiffeId(value, trustDomain.ToString(), path.ToString());
    }

    /// <summary>True when <paramref name="name"/> is a valid trust domain name.</summary>
    public static bool IsValidTrustDomain(ReadOnlySpan<char> name)
    {
        if (name.Length == 0 || name.Length > MaxTrustDomainLength)
        {
            return false;
        }
        foreach (var c in name)
        {
            if (!(c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '.' or '-' or '_'))
            {
                return false;
            }
        }
        return true;
    }

    private static bool IsValidPath(ReadOnlySpan<char> path)
    {
        if (path.Length == 0)
        {
            return true;
        }
        // path starts with '/'; every segment after it must be non-empty and not a dot segment.
        var segments = path[1..];
        while (true)
        {
            var end = segments.IndexOf('/');
            var segment = end < 0 ? segments : segments[..end];
            if (segment.Length == 0 || segment is "." or "..")
            {
                return false;
            }
            foreach (var c in segment)
            {
                if (!(c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '.' or '-' or '_'))
                {
                    return false;
                }
            }
            if (end < 0)
            {
                return true;
            }
            segments = segments[(end + 1)..];
        }
    }

    /// <inheritdoc />
    public override string ToString() => Value;
}
