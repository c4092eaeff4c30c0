namespace Mandate.Server.Configuration;

/// <summary><c>identity.oidc[i]</c>: one trusted OIDC issuer.</summary>
/// <param name="Issuer">Exact <c>iss</c> value.</param>
/// <param name="Audiences">Accepted <c>aud</c> values (at least one).</param>
/// <param name="DiscoveryUrl">Discovery document URL; default <c>{issuer}/.well-known/openid-configuration</c>.</param>
/// <param name="JwksUrl">JWKS URL; when set, discovery is skipped.</param>
/// <param name="Algorithms">Allowed algorithms (subset of ES256, RS256, PS256, EdDSA).</param>
/// <param name="AgentClaim">Claim naming the agent when the token has no <c>act</c> claim (default <c>sub</c>).</param>
/// <param name="MaxStaleness">How long cached keys are trusted without a successful refresh.</param>
/// <param name="ClockSkew">Allowed clock skew for <c>exp</c>/<c>nbf</c>/<c>iat</c>.</param>
public sealed record OidcIssuerConfig(
    string Issuer,
    IReadOnlyList<string> Audiences,
    Uri DiscoveryUrl,
    Uri? JwksUrl,
    IReadOnlyList<string> Algorithms,
    string? AgentClaim,
    TimeSpan MaxStaleness,
    TimeSpan ClockSkew)
{
    /// <summary><c>claimsToContext</c>: token claims copied into <c>context.claims</c>; empty for none (then no <c>claims</c> member).</summary>
    public IReadOnlyList<string> ClaimsToContext { get; init; } = [];
}
