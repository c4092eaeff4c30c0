using System.Text.RegularExpressions;

namespace Mandate.Server.Configuration;

// `identity`: the OIDC issuers and SPIFFE trust domains whose agents may authenticate.
public sealed partial class MandateConfigValidator
{
    private static readonly string[] SupportedAlgorithms = ["ES256", "RS256", "PS256", "EdDSA"];

    private IdentityConfig Identity(IdentityDocument? identity, TlsConfig? tls, bool apiKeyClients = false)
    {
        var oidc = new List<OidcIssuerConfig>();
        var spiffe = new List<SpiffeTrustDomainConfig>();
        for (var i = 0; i < (identity?.Oidc?.Count ?? 0); i++)
        {
            var path = $"identity.oidc[{i}]";
            var o = identity!.Oidc![i];
            if (o is null)
            {
                Problem(path, "an issuer needs at least `issuer` and `audiences`");
                continue;
            }

            var issuer = o.Issuer ?? Missing<string>($"{path}.issuer", "");
            var issuerUri = issuer.Length == 0 ? null : HttpUrl(issuer, $"{path}.issuer");
            var audiences = NonEmptyStrings(o.Audiences, $"{path}.audiences");
            if (audiences.Count == 0 && o.Audiences is not null)
            {
                Problem($"{path}.audiences", "at least one audience is required");
            }

            Uri discovery = o.DiscoveryUrl is null
                ? (issuerUri is null ? new Uri("http://invalid/") : DiscoveryOf(issuer, $"{path}.issuer"))
                : HttpUrl(o.DiscoveryUrl, $"{path}.discoveryUrl") ?? new Uri("http://invalid/");
            var jwks = o.JwksUrl is null ? null : HttpUrl(o.JwksUrl, $"{path}.jwksUrl");
            var algorithms = o.Algorithms is null ? SupportedAlgorithms.ToList() : NonEmptyStrings(o.Algorithms, $"{path}.algorithms");
            for (var k = 0; k < algorithms.Count; k++)
            {
                if (!SupportedAlgorithms.Contains(algorithms[k], StringComparer.Ordinal))
                {
                    Problem($"{path}.algorithms[{k}]", $"`{algorithms[k]}` is not allowed (allowed: {string.Join(", ", SupportedAlgorithms)})");
                }
            }

            oidc.Add(new OidcIssuerConfig(
                issuer,
                audiences,
                discovery,
                jwks,
                algorithms,
                o.AgentClaim,
                TimeSpan.FromSeconds(PositiveInt(o.MaxStalenessSeconds, $"{path}.maxStalenessSeconds", 3600)),
                TimeSpan.FromSeconds(NonNegativeInt(o.ClockSkewSeconds, $"{path}.clockSkewSeconds", 30)))
            {
                ClaimsToContext = ClaimNames(o.ClaimsToContext, $"{path}.claimsToContext"),
            });
        }

        for (var i = 0; i < (identity?.Spiffe?.Count ?? 0); i++)
        {
            var path = $"identity.spiffe[{i}]";
            var s = identity!.Spiffe![i];
            if (s is null)
            {
                Problem(path, "a trust domain needs `trustDomain` and a bundle");
                continue;
            }

            var domain = s.TrustDomain ?? Missing<string>($"{path}.trustDomain", "");
            if (domain.Length > 0 && !TrustDomainName().IsMatch(domain))
            {
                Problem($"{path}.trustDomain", $"`{domain}` is not a trust domain name (lowercase letters, digits, `.`, `-`, `_`)");
            }

            if (s.BundleFile is not null && s.BundleUrl is not null)
            {
                Problem(path, "give bundleFile or bundleUrl, not both");
            }

            if (s.BundleFile is null && s.BundleUrl is null && s.X509Bundle is null)
            {
                Problem(path, "give a jwt-svid bundle (bundleFile or bundleUrl), an x509Bundle, or both");
            }

            if ((s.BundleFile is not null || s.BundleUrl is not null) && string.IsNullOrEmpty(s.Audience))
            {
                Problem($"{path}.audience", "required with a jwt-svid bundle: the one audience this gateway expects");
            }

            var file = s.BundleFile is null ? null : ExistingFile(s.BundleFile, $"{path}.bundleFile");
            var url = s.BundleUrl is null ? null : HttpUrl(s.BundleUrl, $"{path}.bundleUrl");
            var x509 = s.X509Bundle is null ? null : ExistingFile(s.X509Bundle, $"{path}.x509Bundle");
            if (s.ClaimsToContext is not null && file is null && url is null)
            {
                Problem($"{path}.claimsToContext", "claims come from jwt-svids; give bundleFile or bundleUrl");
            }

            spiffe.Add(new SpiffeTrustDomainConfig(domain, file, url, s.Audience, x509) { ClaimsToContext = ClaimNames(s.ClaimsToContext, $"{path}.claimsToContext") });
        }

        // A deployment that only answers AuthZEN clients holding API keys needs no token issuer.
        if (oidc.Count == 0 && spiffe.Count == 0 && !apiKeyClients)
        {
            Problem("identity", "no oidc issuer or spiffe trust domain is configured, so no agent could authenticate");
        }

        if (tls?.ClientCertificates is ClientCertificatePolicy.Allow or ClientCertificatePolicy.Require && spiffe.All(d => d.X509Bundle is null))
        {
            Problem("dataPlane.tls.clientCertificates", "client certificates need an identity.spiffe trust domain with an x509Bundle to verify them against");
        }

        return new IdentityConfig(oidc, spiffe);
    }

    /// <summary><c>claimsToContext</c>: optional; each name non-empty and given once.</summary>
    private List<string> ClaimNames(List<string?>? values, string path)
    {
        if (values is null)
        {
            return [];
        }

        var names = NonEmptyStrings(values, path);
        foreach (var duplicate in names.GroupBy(n => n, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            Problem(path, $"claim `{duplicate.Key}` is named twice");
        }

        return names.Distinct(StringComparer.Ordinal).ToList();
    }

    [GeneratedRegex("^[a-z0-9._-]+$")]
    private static partial Regex TrustDomainName();
}
