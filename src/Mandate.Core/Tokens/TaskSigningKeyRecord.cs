namespace Mandate.Core.Tokens;

/// <summary>A stored signing key.</summary>
/// <param name="KeyId">The kid: the RFC 7638 JWK thumbprint of the public key.</param>
/// <param name="Algorithm">The JOSE algorithm (<c>ES256</c>).</param>
/// <param name="PrivateKeyPkcs8">The private key, PKCS#8 DER.</param>
/// <param name="CreatedAt">When it started signing.</param>
/// <param name="RetiredAt">When it stopped signing, or null while active.</param>
public sealed record TaskSigningKeyRecord(string KeyId, string Algorithm, byte[] PrivateKeyPkcs8, DateTimeOffset CreatedAt, DateTimeOffset? RetiredAt);
