using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Mandate.Core.OAuth;
using Microsoft.Extensions.Time.Testing;

namespace Mandate.Core.Tests.OAuth;

/// <summary>DPoP proofs (RFC 9449 §4.3), one rule per test.</summary>
public sealed class DpopProofValidatorTests : IDisposable
{
    private static readonly Uri Url = new("https://gw.example/tickets/42?x=1");
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly DpopProofValidator _validator;

    public DpopProofValidatorTests()
    {
        _validator = new DpopProofValidator(new DpopReplayCache(TimeSpan.FromMinutes(2), 1000, _time), TimeSpan.FromSeconds(60), _time);
    }

    public void Dispose() => _key.Dispose();

    private Dictionary<string, object> Jwk(bool withPrivate = false)
    {
        var p = _key.ExportParameters(withPrivate);
        var jwk = new Dictionary<string, object> { ["kty"] = "EC", ["crv"] = "P-256", ["x"] = B64(p.Q.X!), ["y"] = B64(p.Q.Y!) };
        if (withPrivate)
        {
            jwk["d"] = B64(p.D!);
        }
        return jwk;
    }

    private string Proof(string htm = "GET", string htu = "https://gw.example/tickets/42", long? iat = null, string? jti = null, string? ath = null,
        string typ = "dpop+jwt", string alg = "ES256", bool privateJwk = false, ECDsa? signWith = null)
    {
        var header = new Dictionary<string, object> { ["typ"] = typ, ["alg"] = alg, ["jwk"] = Jwk(privateJwk) };
        var claims = new Dictionary<string, object> { ["htm"] = htm, ["htu"] = htu, ["iat"] = iat ?? _time.GetUtcNow().ToUnixTimeSeconds(), ["jti"] = jti ?? Guid.NewGuid().ToString("N") };
        if (ath is not null)
        {
            claims["ath"] = ath;
        }
        var input = B64(JsonSerializer.SerializeToUtf8Bytes(header)) + "." + B64(JsonSerializer.SerializeToUtf8Bytes(claims));
        var sig = (signWith ?? _key).SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return input + "." + B64(sig);
    }

    private static string B64(byte[] b) => Base64Url.EncodeToString(b);

    private static string Ath(string token) => B64(SHA256.HashData(Encoding.ASCII.GetBytes(token)));

    [Fact]
    public void Validate_GoodProof_ReturnsThumbprintOfItsKey()
    {
        var check = _validator.Validate(Proof(), "GET", Url, null);
        Assert.True(check.Ok, check.Error?.ToString());
        Assert.Equal(JwkThumbprint.Compute(JsonSerializer.Serialize(Jwk())), check.Thumbprint);
    }

    [Fact]
    public void Validate_SameJtiTwice_SecondRefused()
    {
        Assert.True(_validator.Validate(Proof(jti: "one"), "GET", Url, null).Ok);
        var again = _validator.Validate(Proof(jti: "one"), "GET", Url, null);
        Assert.False(again.Ok);
        Assert.Contains("already used", again.Error!.Description);
    }

    [Fact]
    public void Validate_OtherMethod_Refused() =>
        Assert.Contains("htm", _validator.Validate(Proof(htm: "POST"), "GET", Url, null).Error!.Description);

    [Theory]
    [InlineData("https://gw.example/tickets/43")]
    [InlineData("http://gw.example/tickets/42")]
    [InlineData("https://other.example/tickets/42")]
    [InlineData("https://gw.example:8443/tickets/42")]
    public void Validate_OtherUrl_Refused(string htu) =>
        Assert.Contains("htu", _validator.Validate(Proof(htu: htu), "GET", Url, null).Error!.Description);

    [Theory]
    [InlineData("HTTPS://GW.EXAMPLE/tickets/42")]
    [InlineData("https://gw.example:443/tickets/42")]
    [InlineData("https://gw.example/tickets/42?other=query#frag")]
    public void Validate_EquivalentUrl_Accepted(string htu) =>
        Assert.True(_validator.Validate(Proof(htu: htu), "GET", Url, null).Ok);

    [Theory]
    [InlineData(-61)]
    [InlineData(61)]
    public void Validate_IatOutsideWindow_Refused(int offset) =>
        Assert.Contains("iat", _validator.Validate(Proof(iat: _time.GetUtcNow().ToUnixTimeSeconds() + offset), "GET", Url, null).Error!.Description);

    [Fact]
    public void Validate_AthMismatch_Refused()
    {
        var check = _validator.Validate(Proof(ath: Ath("other-token")), "GET", Url, "the-token");
        Assert.Contains("ath", check.Error!.Description);
        Assert.True(_validator.Validate(Proof(ath: Ath("the-token")), "GET", Url, "the-token").Ok);
    }

    [Fact]
    public void Validate_MissingAthWithToken_Refused() =>
        Assert.False(_validator.Validate(Proof(), "GET", Url, "the-token").Ok);

    [Fact]
    public void Validate_WrongTyp_Refused() =>
        Assert.Contains("typ", _validator.Validate(Proof(typ: "JWT"), "GET", Url, null).Error!.Description);

    [Theory]
    [InlineData("HS256")]
    [InlineData("none")]
    [InlineData("ES384")]
    public void Validate_AlgNotAllowed_Refused(string alg) =>
        Assert.False(_validator.Validate(Proof(alg: alg), "GET", Url, null).Ok);

    [Fact]
    public void Validate_PrivateKeyInJwk_Refused() =>
        Assert.Contains("private", _validator.Validate(Proof(privateJwk: true), "GET", Url, null).Error!.Description);

    [Fact]
    public void Validate_SignedByAnotherKey_Refused()
    {
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Assert.Contains("signature", _validator.Validate(Proof(signWith: other), "GET", Url, null).Error!.Description);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("a.b")]
    [InlineData("not-a-jws")]
    public void Validate_Malformed_Refused(string? proof) =>
        Assert.False(_validator.Validate(proof, "GET", Url, null).Ok);

    [Fact]
    public void ReplayCache_Full_RefusesNewIdsUntilOldOnesExpire()
    {
        var cache = new DpopReplayCache(TimeSpan.FromSeconds(10), 2, _time);
        Assert.True(cache.TryAdd("a"));
        Assert.True(cache.TryAdd("b"));
        Assert.False(cache.TryAdd("c"));
        _time.Advance(TimeSpan.FromSeconds(11));
        Assert.True(cache.TryAdd("c"));
        Assert.True(cache.TryAdd("a"));
    }
}
