using System.Buffers.Text;
using System.Security.Cryptography;
using NSec.Cryptography;

namespace Mandate.Core.Tests.Support;

/// <summary>A signing key of the test issuer: ES256, ES384, RS256, PS256 or EdDSA.</summary>
public sealed class TestSigningKey : IDisposable
{
    // RSA key generation is slow on a busy 2-core machine; each test issuer gets fresh EC/Ed25519 keys but
    // imports one of two RSA keys made once per test run (distinct for RS256 and PS256).
    private static readonly Lazy<RSAParameters[]> RsaPool = new(() => [.. Enumerable.Range(0, 2).Select(_ =>
    {
        using var rsa = RSA.Create(2048);
        return rsa.ExportParameters(true);
    })]);

    private readonly ECDsa? _ec;
    private readonly RSA? _rsa;
    private readonly Key? _ed;

    private TestSigningKey(string alg, string kid, ECDsa? ec, RSA? rsa, Key? ed)
    {
        Algorithm = alg;
        KeyId = kid;
        _ec = ec;
        _rsa = rsa;
        _ed = ed;
    }

    /// <summary>The JWS alg this key signs with.</summary>
    public string Algorithm { get; }

    /// <summary>The kid it is published under.</summary>
    public string KeyId { get; }

    /// <summary>The RSA key, for key-confusion tests.</summary>
    public RSA? Rsa => _rsa;

    /// <summary>Creates a fresh key for <paramref name="alg"/>.</summary>
    public static TestSigningKey Create(string alg, string? kid = null)
    {
        kid ??= alg.ToLowerInvariant() + "-" + Guid.NewGuid().ToString("N")[..8];
        return alg switch
        {
            "ES256" => new(alg, kid, ECDsa.Create(ECCurve.NamedCurves.nistP256), null, null),
            "ES384" => new(alg, kid, ECDsa.Create(ECCurve.NamedCurves.nistP384), null, null),
            "RS256" or "RS384" => new(alg, kid, null, PooledRsa(0), null),
            "PS256" or "PS384" => new(alg, kid, null, PooledRsa(1), null),
            "EdDSA" => new(alg, kid, null, null, Key.Create(SignatureAlgorithm.Ed25519)),
            _ => throw new ArgumentException($"unsupported test alg {alg}"),
        };
    }

    private static RSA PooledRsa(int index)
    {
        var rsa = RSA.Create();
        rsa.ImportParameters(RsaPool.Value[index]);
        return rsa;
    }

    /// <summary>Signs <paramref name="data"/> as <paramref name="alg"/> (default: this key's alg).</summary>
    public byte[] Sign(byte[] data, string? alg = null)
    {
        alg ??= Algorithm;
        return alg switch
        {
            "ES256" => _ec!.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation),
            "ES384" => _ec!.SignData(data, HashAlgorithmName.SHA384, DSASignatureFormat.IeeeP1363FixedFieldConcatenation),
            "RS256" => _rsa!.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            "RS384" => _rsa!.SignData(data, HashAlgorithmName.SHA384, RSASignaturePadding.Pkcs1),
            "PS256" => _rsa!.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pss),
            "PS384" => _rsa!.SignData(data, HashAlgorithmName.SHA384, RSASignaturePadding.Pss),
            "EdDSA" => SignatureAlgorithm.Ed25519.Sign(_ed!, data),
            _ => throw new ArgumentException($"cannot sign {alg} with this key"),
        };
    }

    /// <summary>The public JWK, as a dictionary ready for JSON.</summary>
    public Dictionary<string, object> PublicJwk(string? use = "sig", bool includeAlg = true)
    {
        var jwk = new Dictionary<string, object> { ["kid"] = KeyId };
        if (use is not null)
        {
            jwk["use"] = use;
        }
        if (includeAlg)
        {
            jwk["alg"] = Algorithm;
        }
        if (_ec is not null)
        {
            var p = _ec.ExportParameters(false);
            jwk["kty"] = "EC";
            jwk["crv"] = Algorithm == "ES384" ? "P-384" : "P-256";
            jwk["x"] = Base64Url.EncodeToString(p.Q.X);
            jwk["y"] = Base64Url.EncodeToString(p.Q.Y);
        }
        else if (_rsa is not null)
        {
            var p = _rsa.ExportParameters(false);
            jwk["kty"] = "RSA";
            jwk["n"] = Base64Url.EncodeToString(p.Modulus);
            jwk["e"] = Base64Url.EncodeToString(p.Exponent);
        }
        else
        {
            jwk["kty"] = "OKP";
            jwk["crv"] = "Ed25519";
            jwk["x"] = Base64Url.EncodeToString(_ed!.PublicKey.Export(KeyBlobFormat.RawPublicKey));
        }
        return jwk;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _ec?.Dispose();
        _rsa?.Dispose();
        _ed?.Dispose();
    }
}
