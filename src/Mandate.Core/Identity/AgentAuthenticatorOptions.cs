namespace Mandate.Core.Identity;

/// <summary>Everything the <see cref="AgentAuthenticator"/> trusts. Immutable: build a new authenticator to change it.</summary>
public sealed record AgentAuthenticatorOptions
{
    /// <summary>Trusted OIDC issuers. Issuer strings must be unique.</summary>
    public IReadOnlyList<OidcIssuerOptions> Issuers { get; init; } = [];

    /// <summary>Trusted SPIFFE trust domains. Names must be unique.</summary>
    public IReadOnlyList<SpiffeTrustDomainOptions> TrustDomains { get; init; } = [];

    /// <summary>How many verified tokens are remembered (until their <c>exp</c>) so a signature is checked once. Default 100 000; 0 disables the cache.</summary>
    public int VerifiedTokenCacheCapacity { get; init; } = 100_000;

    /// <summary>Timeout of one discovery or key set fetch. Default 10 s.</summary>
    public TimeSpan FetchTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Largest discovery document or key set accepted. Default 1 MiB.</summary>
    public int MaxDocumentBytes { get; init; } = 1024 * 1024;
}
