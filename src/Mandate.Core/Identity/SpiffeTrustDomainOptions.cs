namespace Mandate.Core.Identity;

/// <summary>
/// One trusted SPIFFE trust domain. JWT-SVIDs need a JWT bundle (<see cref="BundleUrl"/> or
/// <see cref="BundlePath"/>) and an <see cref="Audience"/>; X.509-SVIDs need <see cref="X509BundlePath"/>.
/// </summary>
public sealed record SpiffeTrustDomainOptions
{
    /// <summary>Required. The trust domain name, e.g. <c>example.org</c> (no scheme, lowercase).</summary>
    public required string TrustDomain { get; init; }

    /// <summary>Optional. URL of the SPIFFE JWT bundle (a JWKS whose keys carry <c>use: jwt-svid</c>).</summary>
    public Uri? BundleUrl { get; init; }

    /// <summary>Optional. File path of the SPIFFE JWT bundle; used when <see cref="BundleUrl"/> is null.</summary>
    public string? BundlePath { get; init; }

    /// <summary>The one audience this gateway expects; a JWT-SVID's <c>aud</c> must contain it. Required when a JWT bundle is configured.</summary>
    public string? Audience { get; init; }

    /// <summary>Optional. PEM file with the trust domain's X.509 CA certificates, for X.509-SVIDs over mTLS.</summary>
    public string? X509BundlePath { get; init; }

    /// <summary>Accepted JWS <c>alg</c> values for JWT-SVIDs. Default <see cref="JoseAlgorithms.DefaultAllowed"/>.</summary>
    public IReadOnlyList<string> Algorithms { get; init; } = JoseAlgorithms.DefaultAllowed;

    /// <summary>Tolerance for <c>exp</c>, <c>nbf</c>, <c>iat</c> and certificate validity. Default 30 s.</summary>
    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Normal bundle refresh period. Default 5 min.</summary>
    public TimeSpan RefreshInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How old a cached bundle may get while refreshes fail; past it the trust domain fails closed. Default 1 h.</summary>
    public TimeSpan MaxStaleness { get; init; } = TimeSpan.FromHours(1);

    /// <summary>At most one bundle fetch per this interval for an unknown <c>kid</c> or after a failure. Default 30 s.</summary>
    public TimeSpan MinRefreshInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>JWT-SVIDs longer than this are rejected before parsing. Default 8 KiB.</summary>
    public int MaxTokenBytes { get; init; } = 8 * 1024;

    /// <summary>Require https for <see cref="BundleUrl"/>. Default true; false is accepted only for loopback URLs.</summary>
    public bool RequireHttps { get; init; } = true;
}
