using System.Text;
using Microsoft.IdentityModel.Tokens;
using NSec.Cryptography;

namespace Mandate.Core.Identity;

/// <summary>
/// Checks a parsed JWS's signature against a trusted key set. The one signature path of Mandate:
/// the <see cref="AgentAuthenticator"/> and the Wycheproof conformance suite both go through here.
/// </summary>
/// <remarks>
/// EC and RSA signatures are verified by IdentityModel's signature providers (the crypto layer of
/// <c>JsonWebTokenHandler</c>); Ed25519 by NSec (libsodium), since neither IdentityModel 8.23 nor the
/// .NET 10 BCL has it. Key choice is ours: only keys from the configured set, and only those whose
/// type, curve and own <c>alg</c> fit the token's <c>alg</c>, so an RSA key can never serve as an HMAC secret.
/// </remarks>
internal static class JwsVerifier
{
    // A token without `kid` is tried against at most this many fitting keys, so a forged token cannot buy
    // one signature check per published key.
    internal const int MaxKeysTriedWithoutKid = 4;

    /// <summary>Parses and verifies in one step (the conformance entry point).</summary>
    public static bool TryVerify(string token, VerificationKeySet keys, JwsVerificationPolicy policy, out ParsedJws? jws, out IdentityError? error)
    {
        if (!JwsParser.TryParse(token, policy, out jws, out error))
        {
            return false;
        }
        return TryVerifySignature(jws!, keys, out _, out error);
    }

    /// <summary>Verifies <paramref name="jws"/>'s signature with a fitting key of <paramref name="keys"/>; returns the key that verified it.</summary>
    public static bool TryVerifySignature(ParsedJws jws, VerificationKeySet keys, out VerificationKey? usedKey, out IdentityError? error)
    {
        usedKey = null;
        var sawKid = false;
        var sawFit = false;
        var tried = 0;
        byte[]? signingInput = null;
        foreach (var key in keys.Keys)
        {
            if (jws.KeyId is not null && key.KeyId != jws.KeyId)
            {
                continue;
            }
            sawKid = true;
            if (!key.Fits(jws.Algorithm))
            {
                continue;
            }
            sawFit = true;
            if (jws.KeyId is null && ++tried > MaxKeysTriedWithoutKid)
            {
                break;
            }
            // Fixed-size signatures: EC is r||s of exactly 2×coordinate bytes, RSA exactly the modulus size.
            if (jws.Signature.Length != key.SignatureBytes)
            {
                continue;
            }
            signingInput ??= Encoding.ASCII.GetBytes(jws.Token, 0, jws.SigningInputLength);
            if (Verify(key, jws.Algorithm, signingInput, jws.Signature))
            {
                usedKey = key;
                error = null;
                return true;
            }
        }

        error = !sawKid
            ? new IdentityError(IdentityErrorCodes.UnknownKid, jws.KeyId is null ? "no trusted key fits the token" : "no trusted key has the token's `kid`")
            : !sawFit
                ? new IdentityError(IdentityErrorCodes.AlgNotAllowed, "the token's `alg` does not fit the trusted key")
                : new IdentityError(IdentityErrorCodes.BadSignature, "the signature does not verify");
        return false;
    }

    private static bool Verify(VerificationKey key, string alg, byte[] input, byte[] signature)
    {
        if (key.KeyType == "OKP")
        {
            return VerifyEd25519(key.Ed25519PublicKey!, input, signature);
        }

        var factory = CryptoProviderFactory.Default;
        SignatureProvider? provider = null;
        try
        {
            provider = factory.CreateForVerifying(key.SecurityKey, alg);
            return provider.Verify(input, signature);
        }
        catch (Exception ex) when (ex is NotSupportedException or System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            // A key the provider cannot use verifies nothing.
            return false;
        }
        finally
        {
            if (provider is not null)
            {
                factory.ReleaseSignatureProvider(provider);
            }
        }
    }

    /// <summary>Ed25519 verification (RFC 8032, libsodium via NSec); internal so Wycheproof can reach the primitive.</summary>
    internal static bool VerifyEd25519(byte[] rawPublicKey, byte[] input, byte[] signature)
    {
        var algorithm = SignatureAlgorithm.Ed25519;
        if (!PublicKey.TryImport(algorithm, rawPublicKey, KeyBlobFormat.RawPublicKey, out var publicKey) || publicKey is null)
        {
            return false;
        }
        return algorithm.Verify(publicKey, input, signature);
    }
}
