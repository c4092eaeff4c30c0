namespace Mandate.Server.Configuration;

/// <summary>
/// Which agent request headers may reach an upstream. Forwarding is by allowlist: a header reaches the upstream only
/// when <see cref="DefaultForwarded"/>, the upstream's <c>requestHeaders</c> or the route's <c>requestHeaders</c> name
/// it, so a header nobody listed — a proxy's original-path header of a kind never seen before included — is dropped.
/// Some headers can never be allowed (<see cref="IsNeverForwarded"/>): credentials, and the family that carries a
/// client address, a URL, a path or a method an upstream framework might believe over the request line.
/// </summary>
public static class RequestHeaderRules
{
    /// <summary>
    /// Forwarded on every route: content negotiation, conditional and range requests, the body's own description,
    /// caching directives, the user agent and W3C trace context. (The body's framing, <c>Content-Length</c> and
    /// <c>Transfer-Encoding</c>, is the forwarder's to reproduce, not a header choice.)
    /// </summary>
    public static readonly IReadOnlySet<string> DefaultForwarded = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "Accept", "Accept-Encoding", "Accept-Language", "Cache-Control", "Content-Encoding", "Content-Language",
        "Content-Type", "If-Match", "If-Modified-Since", "If-None-Match", "If-Range", "If-Unmodified-Since", "Pragma",
        "Range", "User-Agent", "traceparent", "tracestate", "baggage",
    };

    /// <summary>Body framing: never removed by the allowlist (the forwarder reads them to send the body), never listed.</summary>
    public static readonly IReadOnlySet<string> Framing = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "Content-Length", "Transfer-Encoding",
    };

    // Named exactly: credentials, hop-by-hop headers, and address claims whose names say nothing of what they carry.
    private static readonly HashSet<string> Named = new(StringComparer.OrdinalIgnoreCase)
    {
        "Authorization", "Proxy-Authorization", "Cookie", "DPoP", "Host", "Forwarded", "Via", "X-Real-IP", "X-Client-IP",
        "True-Client-IP", "CF-Connecting-IP", "Fastly-Client-IP", "X-Cluster-Client-IP", "X-ProxyUser-Ip", "Client-IP",
        "Destination", "X-Host", "Proxy-Connection", "Keep-Alive", "TE", "Trailer", "Upgrade", "Connection", "Expect",
    };

    // The family that carries a URL, a path, a prefix or a method: X-Original-URL, X-Rewrite-URL, X-Forwarded-Uri,
    // X-Envoy-Original-Path, X-Forwarded-Prefix, X-HTTP-Method-Override, X-Original-Method, …
    private static readonly string[] FamilyParts =
    [
        "original", "rewrite", "override", "method", "forwarded", "-url", "-uri", "-path", "prefix", "script-name",
    ];

    /// <summary>True for a header no configuration can forward: Mandate's own (<c>X-Mandate-*</c>), credentials,
    /// hop-by-hop headers, address claims, and any name of the URL/path/method family.</summary>
    public static bool IsNeverForwarded(string name)
    {
        if (Named.Contains(name) || name.StartsWith("X-Mandate-", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        foreach (var part in FamilyParts)
        {
            if (name.Contains(part, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The set a route forwards: the default, the upstream's and the route's own names.</summary>
    public static IReadOnlySet<string> Forwarded(IEnumerable<string> upstreamNames, IEnumerable<string> routeNames)
    {
        var set = new HashSet<string>(DefaultForwarded, StringComparer.OrdinalIgnoreCase);
        set.UnionWith(upstreamNames);
        set.UnionWith(routeNames);
        set.ExceptWith(Framing);
        return set;
    }
}
