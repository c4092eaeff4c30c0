namespace Mandate.Server.Configuration;

/// <summary><c>identity.spiffe[i]</c>: one trusted SPIFFE trust domain.</summary>
/// <param name="TrustDomain">The trust domain name (e.g. <c>example.org</c>).</param>
/// <param name="BundleFile">SPIFFE bundle (JWKS with x509-svid and jwt-svid keys) file.</param>
/// <param name="BundleUrl">SPIFFE bundle endpoint URL.</param>
/// <param name="Audience">The one audience JWT-SVIDs must carry.</param>
public sealed record SpiffeTrustDomainConfig(string TrustDomain, string? BundleFile, Uri? BundleUrl, string? Audience);
