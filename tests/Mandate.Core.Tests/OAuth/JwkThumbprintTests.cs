using System.Security.Cryptography;
using System.Buffers.Text;
using Mandate.Core.OAuth;

namespace Mandate.Core.Tests.OAuth;

/// <summary>RFC 7638 thumbprints.</summary>
public sealed class JwkThumbprintTests
{
    // RFC 7638 §3.1: the example RSA key and its SHA-256 thumbprint.
    private const string Rfc7638Key = """
        {"kty":"RSA","n":"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw","e":"AQAB","alg":"RS256","kid":"2011-04-29"}
        """;

    [Fact]
    public void Compute_Rfc7638Example_MatchesPublishedThumbprint()
    {
        Assert.Equal("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs", JwkThumbprint.Compute(Rfc7638Key));
    }

    [Fact]
    public void Compute_MemberOrderAndOptionalMembers_DoNotChangeIt()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var p = ec.ExportParameters(false);
        var x = Base64Url.EncodeToString(p.Q.X!);
        var y = Base64Url.EncodeToString(p.Q.Y!);
        var a = JwkThumbprint.Compute($$"""{"kty":"EC","crv":"P-256","x":"{{x}}","y":"{{y}}"}""");
        var b = JwkThumbprint.Compute($$"""{"y":"{{y}}","use":"sig","x":"{{x}}","kid":"k1","crv":"P-256","kty":"EC"}""");
        Assert.NotNull(a);
        Assert.Equal(a, b);
    }

    [Theory]
    [InlineData("""{"kty":"oct","k":"AAAA"}""")]
    [InlineData("""{"kty":"EC","crv":"P-256","x":"AAAA"}""")]
    [InlineData("""[]""")]
    public void Compute_NotAPublicKey_Null(string json) => Assert.Null(JwkThumbprint.Compute(json));
}
