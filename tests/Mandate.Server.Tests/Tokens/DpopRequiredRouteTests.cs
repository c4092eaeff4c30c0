using System.Net;
using System.Security.Cryptography;
using System.Text.Json;

namespace Mandate.Server.Tests.Tokens;

/// <summary>
/// A route with <c>dpop: required</c> (<c>/bound/{id}</c>) over real HTTP: only a DPoP-bound task token with a valid
/// proof for this very request passes. Bearer use, an unbound token, a workload token, a proof for another method,
/// URL or token, a replayed <c>jti</c>, an <c>iat</c> outside the window and another key are each refused with their
/// stable code, recorded, and nothing reaches the upstream.
/// </summary>
public sealed class DpopRequiredRouteTests : IClassFixture<TokenGatewayFixture>
{
    private readonly TokenGatewayFixture _gw;

    public DpopRequiredRouteTests(TokenGatewayFixture gw)
    {
        _gw = gw;
        _gw.Upstream.Clear();
    }

    private Uri Url(string path = "/bound/1") => new(_gw.DataPlane, path);

    private async Task<(string Token, ECDsa Key)> BoundTokenAsync()
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var proof = TokenGatewayFixture.DpopProof(key, "POST", new Uri(_gw.DataPlane, "/oauth2/token"));
        using var response = await _gw.ExchangeWithAsync(_gw.AgentToken("agent-a"), _gw.UserToken("alice"), proof, ("scope", "tickets:read"));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("DPoP", body.RootElement.GetProperty("token_type").GetString());
        return (body.RootElement.GetProperty("access_token").GetString()!, key);
    }

    private async Task AssertRefusedAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        Assert.Equal(status, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(code, body.RootElement.GetProperty("code").GetString());
        var decisionId = response.Headers.GetValues("X-Mandate-Decision-Id").Single();
        var record = Assert.Single(await _gw.AuditAsync(), e => e.Event.DecisionId == decisionId && e.Event.Kind == "decision");
        Assert.Equal(("deny", code), (record.Event.Decision, record.Event.Details["code"]));
        Assert.Empty(_gw.Upstream.Received);
    }

    [Fact]
    public async Task Get_BoundTokenWithValidProof_Forwarded()
    {
        var (token, key) = await BoundTokenAsync();

        using var response = await _gw.CallAsync(HttpMethod.Get, "/bound/1", token, "DPoP", ("DPoP", TokenGatewayFixture.DpopProof(key, "GET", Url(), token)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("/bound/1", Assert.Single(_gw.Upstream.Received).RawTarget);
    }

    [Fact]
    public async Task Get_BoundTokenAsBearer_401DpopRequired()
    {
        var (token, _) = await BoundTokenAsync();
        using var response = await _gw.CallAsync(HttpMethod.Get, "/bound/1", token);
        await AssertRefusedAsync(response, HttpStatusCode.Unauthorized, "dpop.required");
    }

    [Fact]
    public async Task Get_UnboundTaskToken_401DpopRequired()
    {
        // Accepted on the gateway's other routes: it is the route that requires DPoP, decided in the flow.
        var token = await _gw.TaskTokenAsync(_gw.AgentToken("agent-a"), _gw.UserToken("alice"), ("scope", "tickets:read"));
        using (var elsewhere = await _gw.CallAsync(HttpMethod.Get, "/tickets/1", token))
        {
            Assert.Equal(HttpStatusCode.OK, elsewhere.StatusCode);
        }

        _gw.Upstream.Clear();
        using var response = await _gw.CallAsync(HttpMethod.Get, "/bound/1", token);
        await AssertRefusedAsync(response, HttpStatusCode.Unauthorized, "dpop.required");
    }

    [Fact]
    public async Task Get_WorkloadToken_401DpopRequired()
    {
        using var response = await _gw.CallAsync(HttpMethod.Get, "/bound/1", _gw.Agents.Mint("agent-a"));
        await AssertRefusedAsync(response, HttpStatusCode.Unauthorized, "dpop.required");
    }

    [Fact]
    public async Task Get_BoundTokenWithoutProof_401DpopRequired()
    {
        var (token, _) = await BoundTokenAsync();
        using var response = await _gw.CallAsync(HttpMethod.Get, "/bound/1", token, "DPoP");
        await AssertRefusedAsync(response, HttpStatusCode.Unauthorized, "dpop.required");
    }

    public static TheoryData<string> BadProofs() => ["htm", "htu", "htu-query-path", "ath", "iat-past", "iat-future", "no-ath"];

    [Theory]
    [MemberData(nameof(BadProofs))]
    public async Task Get_ProofNotForThisRequest_401InvalidProof(string broken)
    {
        var (token, key) = await BoundTokenAsync();
        var now = DateTimeOffset.UtcNow;
        var proof = broken switch
        {
            "htm" => TokenGatewayFixture.DpopProof(key, "POST", Url(), token),
            "htu" => TokenGatewayFixture.DpopProof(key, "GET", Url("/bound/2"), token),
            "htu-query-path" => TokenGatewayFixture.DpopProof(key, "GET", Url("/tickets/1"), token),
            "ath" => TokenGatewayFixture.DpopProof(key, "GET", Url(), token + "x"),
            "iat-past" => TokenGatewayFixture.DpopProof(key, "GET", Url(), token, iat: now.AddMinutes(-5)),
            "iat-future" => TokenGatewayFixture.DpopProof(key, "GET", Url(), token, iat: now.AddMinutes(5)),
            "no-ath" => TokenGatewayFixture.DpopProof(key, "GET", Url()),
            _ => throw new ArgumentOutOfRangeException(nameof(broken)),
        };

        using var response = await _gw.CallAsync(HttpMethod.Get, "/bound/1", token, "DPoP", ("DPoP", proof));

        await AssertRefusedAsync(response, HttpStatusCode.Unauthorized, "dpop.invalid_proof");
    }

    [Fact]
    public async Task Get_ReplayedJti_SecondUseRefused401InvalidProof()
    {
        var (token, key) = await BoundTokenAsync();
        var jti = Guid.NewGuid().ToString("N");
        using (var first = await _gw.CallAsync(HttpMethod.Get, "/bound/1", token, "DPoP", ("DPoP", TokenGatewayFixture.DpopProof(key, "GET", Url(), token, jti))))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        _gw.Upstream.Clear();
        // The same jti in a fresh proof (new signature, same iat window) is a replay.
        using (var again = await _gw.CallAsync(HttpMethod.Get, "/bound/1", token, "DPoP", ("DPoP", TokenGatewayFixture.DpopProof(key, "GET", Url(), token, jti))))
        {
            await AssertRefusedAsync(again, HttpStatusCode.Unauthorized, "dpop.invalid_proof");
        }
    }

    [Fact]
    public async Task Get_ProofByAnotherKey_401KeyMismatch()
    {
        var (token, _) = await BoundTokenAsync();
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        using var response = await _gw.CallAsync(HttpMethod.Get, "/bound/1", token, "DPoP", ("DPoP", TokenGatewayFixture.DpopProof(other, "GET", Url(), token)));

        await AssertRefusedAsync(response, HttpStatusCode.Unauthorized, "dpop.key_mismatch");
    }

    [Fact]
    public async Task Get_TwoProofHeaderLines_400MultipleProofs()
    {
        var (token, key) = await BoundTokenAsync();
        var answer = await Support.RawHttp.SendAsync(_gw.DataPlane, "GET", "/bound/1", "Authorization: DPoP " + token,
            "DPoP: " + TokenGatewayFixture.DpopProof(key, "GET", Url(), token), "DPoP: " + TokenGatewayFixture.DpopProof(key, "GET", Url(), token));

        Assert.Equal(400, answer.Status);
        Assert.Contains("\"code\":\"dpop.multiple_proofs\"", answer.Body);
        Assert.Empty(_gw.Upstream.Received);
    }
}
