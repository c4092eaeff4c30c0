namespace Mandate.Core.Identity;

/// <summary>The JWS algorithms Mandate can verify, and which key each needs.</summary>
public static class JoseAlgorithms
{
    /// <summary>Every algorithm an allow-list may name. Only asymmetric ones: <c>none</c> and HS* are never verifiable here.</summary>
    public static readonly IReadOnlySet<string> Supported = new HashSet<string>(StringComparer.Ordinal)
    {
        "ES256", "ES384", "ES512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "EdDSA",
    };

    /// <summary>The default allow-list: ES256, RS256, PS256, EdDSA.</summary>
    public static readonly IReadOnlyList<string> DefaultAllowed = ["ES256", "RS256", "PS256", "EdDSA"];

    /// <summary>The JWK <c>kty</c> an algorithm needs (<c>EC</c>, <c>RSA</c>, <c>OKP</c>), or null when unsupported.</summary>
    public static string? KeyTypeFor(string alg) => alg switch
    {
        "ES256" or "ES384" or "ES512" => "EC",
        "RS256" or "RS384" or "RS512" or "PS256" or "PS384" or "PS512" => "RSA",
        "EdDSA" => "OKP",
        _ => null,
    };

    /// <summary>The JWK curve an algorithm needs (<c>P-256</c>…, <c>Ed25519</c>), or null for RSA.</summary>
    public static string? CurveFor(string alg) => alg switch
    {
        "ES256" => "P-256",
        "ES384" => "P-384",
        "ES512" => "P-521",
        "EdDSA" => "Ed25519",
        _ => null,
    };
}
