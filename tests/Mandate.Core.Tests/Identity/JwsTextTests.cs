using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using Mandate.Core.Identity;
using Mandate.Core.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Mandate.Core.Tests.Identity;

/// <summary>
/// JSON text that parses but cannot be read as strings: bytes that are not UTF-8 inside a string, and escapes of an
/// unpaired surrogate. Reading such a string throws in .NET, so each is refused as malformed before any rule reads
/// one (the fuzzer's inputs: fuzz/crashes/jws).
/// </summary>
public sealed class JwsTextTests : IAsyncLifetime
{
    private static readonly JwsVerificationPolicy Policy = new(
        JoseAlgorithms.Supported, JwsVerificationPolicy.OidcTypes, 8 * 1024, JwsPayloadKind.JsonClaims);

    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly HttpClient _http = new();
    private TestIssuer _issuer = null!;
    private AgentAuthenticator _authenticator = null!;

    public async Task InitializeAsync()
    {
        _issuer = await TestIssuer.StartAsync("ES256");
        _authenticator = new AgentAuthenticator(
            new AgentAuthenticatorOptions { Issuers = [new OidcIssuerOptions { Issuer = _issuer.Issuer, Audiences = ["mandate"], RequireHttps = false }] },
            _http, _time);
    }

    public async Task DisposeAsync()
    {
        _authenticator.Dispose();
        _http.Dispose();
        await _issuer.DisposeAsync();
    }

    public static TheoryData<string, byte[]> BadHeaders => new()
    {
        { "invalid utf-8 in alg", [.. """{"alg":"ES"""u8, 0xE2, .. "56\"}"u8] },
        { "invalid utf-8 in kid", [.. """{"alg":"ES256","kid":"k"""u8, 0xE4, .. "\"}"u8] },
        { "lone surrogate in alg", """{"alg":"\ud800"}"""u8.ToArray() },
        { "lone surrogate in a member name", """{"alg":"ES256","\udc00":1}"""u8.ToArray() },
    };

    [Theory]
    [MemberData(nameof(BadHeaders))]
    public void TryParse_HeaderStringNotUnicode_FailsMalformed(string what, byte[] header)
    {
        var token = Base64Url.EncodeToString(header) + ".e30.c2ln";

        var parsed = JwsParser.TryParse(token, Policy, out _, out var error);

        Assert.False(parsed, what);
        Assert.Equal(IdentityErrorCodes.Malformed, error!.Code);
    }

    [Fact]
    public async Task AuthenticateBearerAsync_SignedTokenWithLoneSurrogateClaim_FailsMalformed()
    {
        // Validly signed, so the claim rules after the signature check would be the first to read `sub`.
        var key = _issuer.Keys[0];
        var claims = JsonSerializer.Serialize(_issuer.Claims(_time.GetUtcNow()));
        var payload = claims.Replace("\"sub\":\"agent-1\"", "\"sub\":\"\\udc00\"", StringComparison.Ordinal);
        Assert.NotEqual(claims, payload);
        var header = JsonSerializer.Serialize(new { alg = key.Algorithm, kid = key.KeyId });
        var input = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(header)) + "." + Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload));
        var token = input + "." + Base64Url.EncodeToString(key.Sign(Encoding.ASCII.GetBytes(input)));

        var result = await _authenticator.AuthenticateBearerAsync(token, default);

        Assert.False(result.IsSuccess);
        Assert.Equal(IdentityErrorCodes.Malformed, result.Error!.Code);
    }
}
