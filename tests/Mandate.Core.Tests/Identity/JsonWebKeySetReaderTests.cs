using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Mandate.Core.Identity;

namespace Mandate.Core.Tests.Identity;

/// <summary>Which published keys are trusted for verification, and which are skipped.</summary>
public sealed class JsonWebKeySetReaderTests
{
    private static readonly ECParameters Ec = ECDsa.Create(ECCurve.NamedCurves.nistP256).ExportParameters(false);

    private static Dictionary<string, object> EcJwk() => new()
    {
        ["kty"] = "EC", ["crv"] = "P-256", ["kid"] = "k", ["x"] = Base64Url.EncodeToString(Ec.Q.X), ["y"] = Base64Url.EncodeToString(Ec.Q.Y),
    };

    private static VerificationKeySet Read(object jwk, string use = "sig", bool useRequired = false)
    {
        var json = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { keys = new[] { jwk } }));
        Assert.True(JsonWebKeySetReader.TryRead(json, use, useRequired, out var keys, out var error), error?.Message);
        return keys;
    }

    [Fact]
    public void TryRead_PublicEcKey_IsTrusted()
    {
        var key = Assert.Single(Read(EcJwk()).Keys);
        Assert.True(key.Fits("ES256"));
        Assert.False(key.Fits("ES384"));
        Assert.False(key.Fits("RS256"));
    }

    [Fact]
    public void TryRead_SymmetricKey_IsSkipped() =>
        Assert.Empty(Read(new Dictionary<string, object> { ["kty"] = "oct", ["k"] = "AAAA", ["kid"] = "k" }).Keys);

    [Fact]
    public void TryRead_KeyWithPrivateMember_IsSkipped()
    {
        var jwk = EcJwk();
        jwk["d"] = "AAAA";
        Assert.Empty(Read(jwk).Keys);
    }

    [Fact]
    public void TryRead_EncryptionKey_IsSkipped()
    {
        var jwk = EcJwk();
        jwk["use"] = "enc";
        Assert.Empty(Read(jwk).Keys);
    }

    [Fact]
    public void TryRead_KeyOpsWithoutVerify_IsSkipped()
    {
        var jwk = EcJwk();
        jwk["key_ops"] = new[] { "encrypt" };
        Assert.Empty(Read(jwk).Keys);
    }

    [Fact]
    public void TryRead_PointNotOnCurve_IsSkipped()
    {
        var jwk = EcJwk();
        var y = (byte[])Ec.Q.Y!.Clone();
        y[^1] ^= 1;
        jwk["y"] = Base64Url.EncodeToString(y);
        Assert.Empty(Read(jwk).Keys);
    }

    [Fact]
    public void TryRead_Rsa1024_IsSkipped()
    {
        using var rsa = RSA.Create(1024);
        var p = rsa.ExportParameters(false);
        Assert.Empty(Read(new Dictionary<string, object> { ["kty"] = "RSA", ["n"] = Base64Url.EncodeToString(p.Modulus), ["e"] = Base64Url.EncodeToString(p.Exponent) }).Keys);
    }

    [Fact]
    public void TryRead_SpiffeBundleRequiresJwtSvidUse()
    {
        Assert.Empty(Read(EcJwk(), "jwt-svid", useRequired: true).Keys);
        var jwk = EcJwk();
        jwk["use"] = "jwt-svid";
        Assert.Single(Read(jwk, "jwt-svid", useRequired: true).Keys);
    }

    [Fact]
    public void TryRead_DuplicateMemberInKeySet_FailsDuplicateJsonKey()
    {
        var json = Encoding.UTF8.GetBytes("""{"keys":[],"keys":[]}""");
        Assert.False(JsonWebKeySetReader.TryRead(json, "sig", false, out _, out var error));
        Assert.Equal("duplicate_json_key", error!.Code);
    }
}
