using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace Mandate.Core.Identity;

/// <summary>
/// Turns a JWKS (or a SPIFFE bundle, which is a JWKS) into <see cref="VerificationKey"/>s. Keys that
/// cannot verify signatures here are skipped, not trusted: symmetric keys, keys for encryption, keys
/// with private members, RSA below 2048 bits, unknown curves, malformed points.
/// </summary>
internal static class JsonWebKeySetReader
{
    private const int MinimumRsaBits = 2048;

    // Bounds the work one published document can cause; real issuers publish a handful of keys.
    internal const int MaxKeys = 64;

    /// <summary>
    /// Reads a key set. <paramref name="acceptedUse"/> is the <c>use</c> a key must have when it has one
    /// (<c>sig</c> for OIDC, <c>jwt-svid</c> for SPIFFE); <paramref name="useRequired"/> drops keys without one
    /// (SPIFFE bundles must mark every key).
    /// </summary>
    public static bool TryRead(ReadOnlyMemory<byte> json, string acceptedUse, bool useRequired, out VerificationKeySet keySet, out IdentityError? error)
    {
        keySet = VerificationKeySet.Empty;
        if (!StrictJson.TryParseObject(json, "key set", out var root, out error))
        {
            return false;
        }
        if (!root.TryGetProperty("keys", out var keys) || keys.ValueKind != JsonValueKind.Array)
        {
            error = new IdentityError(IdentityErrorCodes.JwksUnavailable, "the key set has no `keys` array");
            return false;
        }

        var result = new List<VerificationKey>();
        if (keys.GetArrayLength() > MaxKeys)
        {
            error = new IdentityError(IdentityErrorCodes.JwksUnavailable, $"the key set holds more than {MaxKeys} keys");
            return false;
        }
        foreach (var jwk in keys.EnumerateArray())
        {
            if (useRequired && !(jwk.ValueKind == JsonValueKind.Object && jwk.TryGetProperty("use", out _)))
            {
                continue;
            }
            if (TryReadKey(jwk, acceptedUse) is { } key)
            {
                result.Add(key);
            }
        }
        keySet = new VerificationKeySet(result);
        return true;
    }

    /// <summary>Reads one JWK; null when it is not a usable public verification key.</summary>
    public static VerificationKey? TryReadKey(JsonElement jwk, string acceptedUse)
    {
        if (jwk.ValueKind != JsonValueKind.Object)
        {
            return null;
        }
        var kty = GetString(jwk, "kty");
        var kid = GetString(jwk, "kid");
        var alg = GetString(jwk, "alg");
        if (jwk.TryGetProperty("kid", out var kidElement) && kidElement.ValueKind != JsonValueKind.String)
        {
            return null;
        }
        if (jwk.TryGetProperty("use", out var use) && (use.ValueKind != JsonValueKind.String || use.GetString() != acceptedUse))
        {
            return null;
        }
        if (jwk.TryGetProperty("key_ops", out var ops) && !ContainsVerify(ops))
        {
            return null;
        }
        // A published key with private members is a leak at the issuer; refuse to build on it.
        foreach (var name in (string[])["d", "p", "q", "dp", "dq", "qi", "k"])
        {
            if (jwk.TryGetProperty(name, out _))
            {
                return null;
            }
        }
        if (alg is not null && JoseAlgorithms.KeyTypeFor(alg) != kty)
        {
            return null;
        }

        try
        {
            return kty switch
            {
                "RSA" => ReadRsa(jwk, kid, alg),
                "EC" => ReadEc(jwk, kid, alg),
                "OKP" => ReadOkp(jwk, kid, alg),
                _ => null,
            };
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    private static VerificationKey? ReadRsa(JsonElement jwk, string? kid, string? alg)
    {
        if (!TryGetBytes(jwk, "n", out var n) || !TryGetBytes(jwk, "e", out var e) || n.Length == 0 || e.Length == 0)
        {
            return null;
        }
        if (n[0] == 0 || e[0] == 0)
        {
            return null; // RFC 7518 §6.3.1: minimal big-endian; a leading zero is a different spelling of the same key.
        }
        var bits = n.Length * 8 - System.Numerics.BitOperations.LeadingZeroCount((uint)n[0]) + 24;
        if (bits < MinimumRsaBits)
        {
            return null;
        }
        var rsa = RSA.Create();
        rsa.ImportParameters(new RSAParameters { Modulus = n, Exponent = e });
        var securityKey = new RsaSecurityKey(rsa) { KeyId = kid };
        return new VerificationKey(kid, "RSA", null, alg, securityKey, null, n.Length, Fingerprint("RSA", n, e));
    }

    private static VerificationKey? ReadEc(JsonElement jwk, string? kid, string? alg)
    {
        var crv = GetString(jwk, "crv");
        (ECCurve curve, int size) = crv switch
        {
            "P-256" => (ECCurve.NamedCurves.nistP256, 32),
            "P-384" => (ECCurve.NamedCurves.nistP384, 48),
            "P-521" => (ECCurve.NamedCurves.nistP521, 66),
            _ => (default(ECCurve), 0),
        };
        if (size == 0 || !TryGetBytes(jwk, "x", out var x) || !TryGetBytes(jwk, "y", out var y) || x.Length != size || y.Length != size)
        {
            return null;
        }
        // ImportParameters checks that the point is on the curve (invalid-curve attacks).
        var ecdsa = ECDsa.Create();
        ecdsa.ImportParameters(new ECParameters { Curve = curve, Q = new ECPoint { X = x, Y = y } });
        var securityKey = new ECDsaSecurityKey(ecdsa) { KeyId = kid };
        return new VerificationKey(kid, "EC", crv, alg, securityKey, null, 2 * size, Fingerprint(crv!, x, y));
    }

    private static VerificationKey? ReadOkp(JsonElement jwk, string? kid, string? alg)
    {
        if (GetString(jwk, "crv") != "Ed25519" || !TryGetBytes(jwk, "x", out var x) || x.Length != 32)
        {
            return null;
        }
        return new VerificationKey(kid, "OKP", "Ed25519", alg, null, x, 64, Fingerprint("Ed25519", x, []));
    }

    private static bool ContainsVerify(JsonElement ops)
    {
        if (ops.ValueKind != JsonValueKind.Array)
        {
            return false;
        }
        foreach (var op in ops.EnumerateArray())
        {
            if (op.ValueKind == JsonValueKind.String && op.GetString() == "verify")
            {
                return true;
            }
        }
        return false;
    }

    private static string? GetString(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool TryGetBytes(JsonElement obj, string name, out byte[] bytes)
    {
        bytes = [];
        return GetString(obj, name) is { } text && Base64UrlStrict.TryDecode(text, out bytes);
    }

    private static string Fingerprint(string kind, byte[] a, byte[] b)
    {
        var material = new byte[kind.Length + 1 + a.Length + 1 + b.Length];
        var offset = Encoding.ASCII.GetBytes(kind, material);
        material[offset++] = 0;
        a.CopyTo(material, offset);
        offset += a.Length;
        material[offset++] = 0;
        b.CopyTo(material, offset);
        return Convert.ToHexString(SHA256.HashData(material));
    }
}
