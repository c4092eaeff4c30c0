namespace Mandate.Server.Configuration;

/// <summary><c>identity.spiffe[i]</c>: one trusted SPIFFE trust domain.</summary>
/// <param name="TrustDomain">The trust domain name (e.g. <c>example.org</c>).</param>
/// <param name="BundleFile">JWT-SVID bundle file (a JWKS with <c>use: jwt-svid</c> keys).</param>
/// <param name="BundleUrl">JWT-SVID bundle endpoint URL.</param>
/// <param name="Audience">The one audience JWT-SVIDs must carry (required with a JWT bundle).</param>
/// <param name="X509Bundle">PEM file of the trust domain's CA certificates, for X.509-SVIDs over mTLS.</param>
public sealed record SpiffeTrustDomainConfig(string TrustDomain, string? BundleFile, Uri? BundleUrl, string? Audience, string? X509Bundle)
{
    /// <summary><c>claimsToContext</c>: JWT-SVID claims copied into <c>context.claims</c>; empty for none.</summary>
    public IReadOnlyList<string> ClaimsToContext { get; init; } = [];
}
