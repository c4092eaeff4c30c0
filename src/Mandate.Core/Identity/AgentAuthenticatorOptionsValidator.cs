namespace Mandate.Core.Identity;

/// <summary>Checks <see cref="AgentAuthenticatorOptions"/> at start-up and reports every problem at once.</summary>
public static class AgentAuthenticatorOptionsValidator
{
    private static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>All problems found; empty when the options are usable.</summary>
    public static IReadOnlyList<string> Validate(AgentAuthenticatorOptions options)
    {
        var errors = new List<string>();
        if (options.VerifiedTokenCacheCapacity < 0)
        {
            errors.Add("verified token cache capacity must not be negative");
        }
        if (options.FetchTimeout <= TimeSpan.Zero)
        {
            errors.Add("fetch timeout must be positive");
        }
        if (options.MaxDocumentBytes <= 0)
        {
            errors.Add("max document bytes must be positive");
        }

        var issuers = new HashSet<string>(StringComparer.Ordinal);
        foreach (var issuer in options.Issuers)
        {
            var at = $"issuer `{issuer.Issuer}`";
            if (string.IsNullOrWhiteSpace(issuer.Issuer) || !Uri.TryCreate(issuer.Issuer, UriKind.Absolute, out _))
            {
                errors.Add($"{at}: the issuer must be an absolute url");
                continue;
            }
            if (!issuers.Add(issuer.Issuer))
            {
                errors.Add($"{at}: configured twice");
            }
            if (issuer.Audiences is null || issuer.Audiences.Count == 0 || issuer.Audiences.Any(string.IsNullOrEmpty))
            {
                errors.Add($"{at}: at least one non-empty audience is required");
            }
            if (string.IsNullOrEmpty(issuer.AgentClaim))
            {
                errors.Add($"{at}: the agent claim must not be empty");
            }
            if (issuer.JwksUrl is null && !DocumentFetcher.IsAllowedUrl(issuer.EffectiveDiscoveryUrl, issuer.RequireHttps))
            {
                errors.Add($"{at}: discovery url `{issuer.EffectiveDiscoveryUrl}` must be https (http only for 127.0.0.1, [::1] or localhost with RequireHttps=false)");
            }
            if (issuer.JwksUrl is { } jwks && !DocumentFetcher.IsAllowedUrl(jwks, issuer.RequireHttps))
            {
                errors.Add($"{at}: jwks url `{jwks}` must be https (http only for 127.0.0.1, [::1] or localhost with RequireHttps=false)");
            }
            ValidateCommon(at, issuer.Algorithms, issuer.ClockSkew, issuer.RefreshInterval, issuer.MaxStaleness, issuer.MinRefreshInterval, issuer.MaxTokenBytes, errors);
        }

        var domains = new HashSet<string>(StringComparer.Ordinal);
        foreach (var domain in options.TrustDomains)
        {
            var at = $"trust domain `{domain.TrustDomain}`";
            if (domain.TrustDomain is null || !SpiffeId.IsValidTrustDomain(domain.TrustDomain))
            {
                errors.Add($"{at}: not a valid trust domain name (lowercase letters, digits, '.', '-', '_')");
                continue;
            }
            if (!domains.Add(domain.TrustDomain))
            {
                errors.Add($"{at}: configured twice");
            }
            var hasJwtBundle = domain.BundleUrl is not null || domain.BundlePath is not null;
            if (!hasJwtBundle && domain.X509BundlePath is null)
            {
                errors.Add($"{at}: needs a JWT bundle (url or path) or an X.509 bundle path");
            }
            if (domain.BundleUrl is not null && domain.BundlePath is not null)
            {
                errors.Add($"{at}: give the JWT bundle as a url or as a path, not both");
            }
            if (domain.BundleUrl is { } url && !DocumentFetcher.IsAllowedUrl(url, domain.RequireHttps))
            {
                errors.Add($"{at}: bundle url `{url}` must be https (http only for loopback with RequireHttps=false)");
            }
            if (hasJwtBundle && string.IsNullOrEmpty(domain.Audience))
            {
                errors.Add($"{at}: JWT-SVIDs need the expected audience");
            }
            ValidateCommon(at, domain.Algorithms, domain.ClockSkew, domain.RefreshInterval, domain.MaxStaleness, domain.MinRefreshInterval, domain.MaxTokenBytes, errors);
        }
        return errors;
    }

    private static void ValidateCommon(string at, IReadOnlyList<string> algorithms, TimeSpan skew, TimeSpan refresh, TimeSpan staleness, TimeSpan minRefresh, int maxTokenBytes, List<string> errors)
    {
        if (algorithms is null || algorithms.Count == 0)
        {
            errors.Add($"{at}: at least one algorithm is required");
        }
        else
        {
            foreach (var alg in algorithms.Where(a => !JoseAlgorithms.Supported.Contains(a)))
            {
                errors.Add($"{at}: algorithm `{alg}` is not accepted (only {string.Join(", ", JoseAlgorithms.Supported)}; never none or HS*)");
            }
        }
        if (skew < TimeSpan.Zero || skew > MaxClockSkew)
        {
            errors.Add($"{at}: clock skew must be between 0 and {MaxClockSkew.TotalMinutes} minutes");
        }
        if (refresh <= TimeSpan.Zero)
        {
            errors.Add($"{at}: refresh interval must be positive");
        }
        if (staleness < refresh)
        {
            errors.Add($"{at}: max staleness must be at least the refresh interval");
        }
        if (minRefresh < TimeSpan.Zero || minRefresh > refresh)
        {
            errors.Add($"{at}: min refresh interval must be between 0 and the refresh interval");
        }
        if (maxTokenBytes <= 0 || maxTokenBytes > 1024 * 1024)
        {
            errors.Add($"{at}: max token bytes must be between 1 and 1 MiB");
        }
    }
}
