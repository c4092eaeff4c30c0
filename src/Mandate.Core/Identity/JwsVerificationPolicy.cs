namespace Mandate.Core.Identity;

/// <summary>The header and format rules one issuer or trust domain applies before any key is touched.</summary>
/// <param name="AllowedAlgorithms">Accepted <c>alg</c> values (a subset of <see cref="JoseAlgorithms.Supported"/>).</param>
/// <param name="AcceptedTypes">Accepted <c>typ</c> values, compared case-insensitively after dropping an <c>application/</c> prefix. An absent <c>typ</c> is accepted.</param>
/// <param name="MaxTokenBytes">Longer tokens are rejected before parsing.</param>
/// <param name="Payload">What the payload must be.</param>
internal sealed record JwsVerificationPolicy(
    IReadOnlySet<string> AllowedAlgorithms,
    IReadOnlySet<string> AcceptedTypes,
    int MaxTokenBytes,
    JwsPayloadKind Payload)
{
    /// <summary><c>typ</c> values an OIDC access or ID token may carry.</summary>
    public static readonly IReadOnlySet<string> OidcTypes = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "JWT", "at+jwt" };

    /// <summary><c>typ</c> values a JWT-SVID may carry (SPIFFE JWT-SVID §2.1).</summary>
    public static readonly IReadOnlySet<string> SpiffeTypes = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "JWT", "JOSE" };
}
