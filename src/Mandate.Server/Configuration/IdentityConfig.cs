namespace Mandate.Server.Configuration;

/// <summary><c>identity</c>: who may vouch for agents.</summary>
/// <param name="Oidc">Trusted OIDC issuers.</param>
/// <param name="Spiffe">Trusted SPIFFE trust domains.</param>
public sealed record IdentityConfig(IReadOnlyList<OidcIssuerConfig> Oidc, IReadOnlyList<SpiffeTrustDomainConfig> Spiffe);
