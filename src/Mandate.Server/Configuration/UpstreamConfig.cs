namespace Mandate.Server.Configuration;

/// <summary><c>upstreams.NAME</c>: an API behind the gateway.</summary>
/// <param name="Name">The upstream's name (its key).</param>
/// <param name="Url">Base URL; the canonical path is appended to its path.</param>
/// <param name="Credential">What credential the upstream gets; null for none.</param>
/// <param name="Timeout">How long to wait for the upstream's response headers.</param>
public sealed record UpstreamConfig(string Name, Uri Url, UpstreamCredentialConfig? Credential, TimeSpan Timeout)
{
    /// <summary><c>requestHeaders</c>: agent request headers forwarded to this upstream beyond
    /// <see cref="RequestHeaderRules.DefaultForwarded"/> (default none).</summary>
    public IReadOnlyList<string> RequestHeaders { get; init; } = [];
}
