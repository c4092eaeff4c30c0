namespace Mandate.Core.Identity;

/// <summary>
/// One trusted OIDC issuer whose JWTs identify agents. Immutable; validated when the
/// <see cref="AgentAuthenticator"/> is built (see <see cref="AgentAuthenticatorOptionsValidator"/>).
/// </summary>
public sealed record OidcIssuerOptions
{
    /// <summary>Required. The exact <c>iss</c> value (compared ordinal, no normalisation).</summary>
    public required string Issuer { get; init; }

    /// <summary>Required, non-empty. The token's <c>aud</c> must contain at least one of these.</summary>
    public required IReadOnlyList<string> Audiences { get; init; }

    /// <summary>Optional. Where the discovery document lives; default <c>{Issuer}/.well-known/openid-configuration</c>.</summary>
    public Uri? DiscoveryUrl { get; init; }

    /// <summary>Optional. When set, the JWKS is fetched from here and discovery is skipped.</summary>
    public Uri? JwksUrl { get; init; }

    /// <summary>Accepted JWS <c>alg</c> values. Default <see cref="JoseAlgorithms.DefaultAllowed"/>; only asymmetric algorithms are accepted (never <c>none</c>, never HS*).</summary>
    public IReadOnlyList<string> Algorithms { get; init; } = JoseAlgorithms.DefaultAllowed;

    /// <summary>Tolerance for <c>exp</c>, <c>nbf</c> and <c>iat</c>. Default 30 s, at most 5 min.</summary>
    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Normal key set refresh period. Default 5 min.</summary>
    public TimeSpan RefreshInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How old (since the last successful fetch) a cached key set may get while refreshes fail; past it the issuer fails closed with <c>jwks_stale</c>. Default 1 h; must be ≥ <see cref="RefreshInterval"/>.</summary>
    public TimeSpan MaxStaleness { get; init; } = TimeSpan.FromHours(1);

    /// <summary>At most one fetch per this interval is started by an unknown <c>kid</c> or after a failed fetch. Default 30 s.</summary>
    public TimeSpan MinRefreshInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Tokens longer than this are rejected before parsing. Default 8 KiB.</summary>
    public int MaxTokenBytes { get; init; } = 8 * 1024;

    /// <summary>The claim naming the agent when the token has no <c>act</c> claim. Default <c>sub</c>.</summary>
    public string AgentClaim { get; init; } = "sub";

    /// <summary>Require https for discovery and JWKS. Default true; false is accepted only for <c>127.0.0.1</c>, <c>[::1]</c> and <c>localhost</c> URLs.</summary>
    public bool RequireHttps { get; init; } = true;

    /// <summary>The discovery URL actually used.</summary>
    public Uri EffectiveDiscoveryUrl =>
        DiscoveryUrl ?? new Uri(Issuer.TrimEnd('/') + "/.well-known/openid-configuration");
}
