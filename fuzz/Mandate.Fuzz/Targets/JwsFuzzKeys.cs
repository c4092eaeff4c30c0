using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace Mandate.Fuzz.Targets;

/// <summary>
/// The JWS target's keys: one per key type Mandate verifies (EC P-256, RSA 2048, Ed25519). Made for fuzzing and
/// published here on purpose; they sign the seed tokens so that the fuzzer starts from tokens that verify, and
/// nothing outside fuzz/ trusts them.
/// </summary>
internal static class JwsFuzzKeys
{
    private const string EcPrivateKeyPem = """
        -----BEGIN PRIVATE KEY-----
        MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgj5ihyuGTECedOjyk
        xFqoFVk++n7rcCxqH+fBi05q4xqhRANCAARLqCOOPQD/KiBrye6BVvcXT1NcsEPu
        smutILzRtCnQXkm3+K59/wPMYxaBlVoxZ7cdK2nNMtNqGl8D3laTKtav
        -----END PRIVATE KEY-----
        """;

    private const string RsaPrivateKeyPem = """
        -----BEGIN PRIVATE KEY-----
        MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCcD/rlfpJsNMiD
        dn1U3lCZ1EXKPZCHVTmq7QLa5Ew992ZcJ+6FdGYivfNvD70WygwS0pZcAoHhl9sY
        hIEpwCRbt72a+EuziZPcD6PW4BbmavlWivYq4Pfi6s9yS+ashYnU9Z0iwHpP7B84
        0KeNo5EWmiWz/tarJYHWhGroWW1gGY9lSso8IM+vx2NqXzR+vuocvWGcQUIlb7bT
        uCjUfyilParw+P3PWTj63DaU5sx2FZ14tA+cYqcBULt/t/bCB0C76KXUaFeUYrXW
        cPiNwHlBngiyS35aUdGC7/pGsmV1dvOMTxl6zzqFRkWhmS18T0mVcH/GF0NfbBy+
        y2u2/DZtAgMBAAECggEAHZ/Y8CSBNgIlB/N/ohMbeL/3SYc7Pr1aV4xrLNMGeALV
        DuxTlki8tJ6bLbtumPtcpFwOR8QAFKtHX1WT0TGUlUaBOwAkGp4kj7L2Vm0uW6n1
        z8xMI2KWG6CYJWmsDZbBzceb/wNLlI1NdfMBw1zHx2MWgh7/b/iMN4TmaFnFbebQ
        MQwBat13gDh6aK88Scz/7Z/rusaq77MZ8zR+CFxhAsUuQZlD9F3dRPHKF1bo3J7a
        kDDdXVqwnQsT5NSfsh6W69KQ/gyJBAGcvN6d+yV+11goOeazTU2e8ZJ9wRO0R1tQ
        R+IVo/bRZp9mddUYhbvYSZHlKhnNlMRFMhYsJnDIDwKBgQDUJGCEALgkpJPocunJ
        FDYrfbQTyIHYdfixG8R20Qlwh8WHEtI3ndl61ijSw28wOaTujq+D6pTaBQUZ9FuD
        t9E9xHtTFEwHoQM5MfrOPw3+jhPYBpM8YGNTsAu8Ru7IRyVfEdJIgmdJEMboSn6Q
        PAzm/5lgtxetqEA45voT9kD1EwKBgQC8U5XnzXFS7NQWrTiCaUiEIDewkP60zDOG
        CU7ccB+fqlowOBZCYOoQ8/XtkHtnHQ3qZM7QxS1LGl29rSO0g5BGo4/WFjqPgTwZ
        G3Th2NZjWUELWfmxASqVllzk77GPT2VU/c77ysPWOKvU9IDpBcTrv9iw0pUJ6vLZ
        RNeqZuEWfwKBgEdjbm89Zro9/+ALO40FFi2QgZbetINJP8Up2PU65vhNWDVaKg+5
        OMRTaS1zwujxnQUCUyILQMgVRGA1kM5Ef09P3UhZ3jP7BQCsRwA8y9LLsPXTUJzS
        utogtfJH1HblKjhR4PexmlxGHwlweCLFcnoRrWWUd41ivynm4GTzS2ytAoGAFMUz
        N0mVQgwUqBuaq+dotAnJmpOjQ9VxqUrFg9Jp6nYjVEYbTl7Z8dy2NulEcu7lZgCQ
        Pr5AbJQP2qeJ1JLeCqxnZLk25DTgp/Q7Q91iZ7qkTdgyja8PP0hCHo3BC4k6J9GG
        TobianH9oZMF1K1qNoYGJBpVja538jaBgq2uDYkCgYEAr+3AvMokFGnYxetfPeVt
        x8uapuWVDruhx149MTgD7lPhAcNaOBubzVdVp21RidVYDaCRk7gHxc/EXYvy4Lul
        zbSNEY1RqiN0JImzcFil/f5uUzDOqUUbP4vuXGiocLfRRGe73JMNZCXQx6rX1AbT
        LZtAUVSG9tgNCJkeCRU76Gk=
        -----END PRIVATE KEY-----
        """;

    private const string Ed25519PrivateSeed = "359Em2fNhzfmcrQFJsXCy4rwrtwRRwdZXTSZytAUXjw=";

    /// <summary>The EC P-256 key (kid <c>ec</c>).</summary>
    public static ECDsa Ec()
    {
        var key = ECDsa.Create();
        key.ImportFromPem(EcPrivateKeyPem);
        return key;
    }

    /// <summary>The RSA 2048 key (kid <c>rsa</c>).</summary>
    public static RSA Rsa()
    {
        var key = RSA.Create();
        key.ImportFromPem(RsaPrivateKeyPem);
        return key;
    }

    /// <summary>The Ed25519 key (kid <c>ed</c>).</summary>
    public static NSec.Cryptography.Key Ed25519() =>
        NSec.Cryptography.Key.Import(
            NSec.Cryptography.SignatureAlgorithm.Ed25519,
            Convert.FromBase64String(Ed25519PrivateSeed),
            NSec.Cryptography.KeyBlobFormat.RawPrivateKey);

    /// <summary>The public keys as the JWKS a configured issuer would publish.</summary>
    public static byte[] PublicJwks()
    {
        var ec = Ec().ExportParameters(includePrivateParameters: false);
        var rsa = Rsa().ExportParameters(includePrivateParameters: false);
        var ed = Ed25519().PublicKey.Export(NSec.Cryptography.KeyBlobFormat.RawPublicKey);
        var keys = new object[]
        {
            new { kty = "EC", crv = "P-256", kid = "ec", use = "sig", x = B64(ec.Q.X!), y = B64(ec.Q.Y!) },
            new { kty = "RSA", kid = "rsa", use = "sig", n = B64(rsa.Modulus!), e = B64(rsa.Exponent!) },
            new { kty = "OKP", crv = "Ed25519", kid = "ed", use = "sig", x = B64(ed) },
        };
        return JsonSerializer.SerializeToUtf8Bytes(new { keys });
    }

    /// <summary>A compact JWS over <paramref name="headerJson"/> and <paramref name="payloadJson"/>, signed with the key <paramref name="alg"/> needs.</summary>
    public static string Sign(string alg, string headerJson, string payloadJson)
    {
        var input = B64(Encoding.UTF8.GetBytes(headerJson)) + "." + B64(Encoding.UTF8.GetBytes(payloadJson));
        var bytes = Encoding.ASCII.GetBytes(input);
        var signature = alg switch
        {
            "ES256" => Ec().SignData(bytes, HashAlgorithmName.SHA256),
            "RS256" => Rsa().SignData(bytes, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            "PS256" => Rsa().SignData(bytes, HashAlgorithmName.SHA256, RSASignaturePadding.Pss),
            "EdDSA" => NSec.Cryptography.SignatureAlgorithm.Ed25519.Sign(Ed25519(), bytes),
            _ => throw new ArgumentException($"no fuzz key for `{alg}`", nameof(alg)),
        };
        return input + "." + B64(signature);
    }

    private static string B64(byte[] bytes) => Base64UrlEncoder.Encode(bytes);
}
