using Microsoft.IdentityModel.Tokens;

namespace Mandate.Core.Identity;

/// <summary>
/// One public key from a trusted key set. Built only from a configured JWKS / bundle, never from a token.
/// </summary>
/// <param name="KeyId">The JWK <c>kid</c>, or null.</param>
/// <param name="KeyType"><c>EC</c>, <c>RSA</c> or <c>OKP</c>.</param>
/// <param name="Curve">The curve for EC / OKP keys, else null.</param>
/// <param name="Algorithm">The JWK <c>alg</c>; when set, the token's <c>alg</c> must equal it.</param>
/// <param name="SecurityKey">The IdentityModel key for EC / RSA; null for Ed25519.</param>
/// <param name="Ed25519PublicKey">The raw 32-byte key for OKP / Ed25519, else null.</param>
/// <param name="SignatureBytes">The exact length a signature made with this key has (RSA modulus size, 2×coordinate for EC, 64 for Ed25519).</param>
/// <param name="Fingerprint">A stable digest of the public key material, used to tell whether a key is still published.</param>
internal sealed record VerificationKey(
    string? KeyId,
    string KeyType,
    string? Curve,
    string? Algorithm,
    AsymmetricSecurityKey? SecurityKey,
    byte[]? Ed25519PublicKey,
    int SignatureBytes,
    string Fingerprint)
{
    /// <summary>True when a token with this <paramref name="alg"/> may be verified with this key (type, curve and the key's own alg agree).</summary>
    public bool Fits(string alg) =>
        JoseAlgorithms.KeyTypeFor(alg) == KeyType
        && (JoseAlgorithms.CurveFor(alg) is not { } curve || curve == Curve)
        && (Algorithm is null || Algorithm == alg);
}
