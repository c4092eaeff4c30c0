using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mandate.Core.OAuth;

namespace Mandate.Server.Tests.Tokens;

/// <summary>
/// One test per broken rule, through real HTTP. Every refused gateway call also asserts that the upstream
/// received nothing.
/// </summary>
public sealed class TaskTokenAttackTests : IClassFixture<TokenGatewayFixture>
{
    private readonly TokenGatewayFixture _gw;

    public TaskTokenAttackTests(TokenGatewayFixture gw)
    {
        _gw = gw;
        _gw.Upstream.Clear();
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }

    // RFC 8693 §2.2.2: an invalid or policy-unacceptable subject or actor token is `invalid_request`; Mandate's own
    // `code` says which rule, the same code the other fronts give for the same token.
    private static async Task AssertOAuthErrorAsync(HttpResponseMessage response, string error, string? descriptionPart = null, string? code = null)
    {
        var body = await JsonAsync(response);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(error, body.GetProperty("error").GetString());
        if (code is not null)
        {
            Assert.Equal(code, body.GetProperty("code").GetString());
        }

        if (descriptionPart is not null)
        {
            Assert.Contains(descriptionPart, body.GetProperty("error_description").GetString(), StringComparison.OrdinalIgnoreCase);
        }
    }

    private async Task AssertRefusedAsync(HttpResponseMessage response, string? code = null)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        if (code is not null)
        {
            Assert.Equal(code, (await JsonAsync(response)).GetProperty("code").GetString());
        }
        Assert.Empty(_gw.Upstream.Received);
    }

    private Task<string> RootAsync(string agent, string user, string scope = "tickets:read tickets:write", params (string, string)[] extra) =>
        _gw.TaskTokenAsync(_gw.AgentToken(agent), _gw.UserToken(user), [("scope", scope), .. extra]);

    [Fact]
    public async Task Exchange_ChildAsksMoreScopeThanParent_InvalidScope()
    {
        var parent = await RootAsync("agent-a", "u1", "tickets:read");
        using var response = await _gw.ExchangeAsync(_gw.AgentToken("agent-b"), parent, ("scope", "tickets:read tickets:write"));
        await AssertOAuthErrorAsync(response, "invalid_scope", "(scope)");
    }

    [Fact]
    public async Task Exchange_RootAsksMoreScopeThanUserHolds_InvalidScope()
    {
        using var response = await _gw.ExchangeAsync(_gw.AgentToken("agent-a"), _gw.UserToken("u2", scope: "tickets:read"), ("scope", "tickets:write"));
        await AssertOAuthErrorAsync(response, "invalid_scope");
    }

    [Fact]
    public async Task Exchange_ChildOutlivesParent_Refused()
    {
        var parent = await RootAsync("agent-a", "u3", "tickets:read", ("expires_in", "120"));
        using var response = await _gw.ExchangeAsync(_gw.AgentToken("agent-b"), parent, ("scope", "tickets:read"), ("expires_in", "600"));
        await AssertOAuthErrorAsync(response, "invalid_request", "parent");
    }

    [Fact]
    public async Task Exchange_DepthBomb_RefusedPastMaxDepth()
    {
        var t0 = await RootAsync("agent-a", "u4", "tickets:read");
        var t1 = await _gw.TaskTokenAsync(_gw.AgentToken("agent-b"), t0, ("scope", "tickets:read"));
        var t2 = await _gw.TaskTokenAsync(_gw.AgentToken("agent-c"), t1, ("scope", "tickets:read"));
        using var response = await _gw.ExchangeAsync(_gw.AgentToken("agent-d"), t2, ("scope", "tickets:read"));
        await AssertOAuthErrorAsync(response, "invalid_request", "depth", "delegation.depth_exceeded");
    }

    [Fact]
    public async Task Exchange_DelegationCycle_Refused()
    {
        var t0 = await RootAsync("agent-a", "u5", "tickets:read");
        var t1 = await _gw.TaskTokenAsync(_gw.AgentToken("agent-b"), t0, ("scope", "tickets:read"));
        using var response = await _gw.ExchangeAsync(_gw.AgentToken("agent-a"), t1, ("scope", "tickets:read"));
        await AssertOAuthErrorAsync(response, "invalid_request", "already in the delegation chain", "exchange.delegation_cycle");
    }

    [Fact]
    public async Task Gateway_ActEditedAndResignedByForeignKey_Refused()
    {
        var t0 = await RootAsync("agent-a", "u6", "tickets:read");
        var child = await _gw.TaskTokenAsync(_gw.AgentToken("agent-b"), t0, ("scope", "tickets:read"));
        var parts = child.Split('.');
        var payload = JsonNode.Parse(Base64Url.DecodeFromChars(parts[1]))!.AsObject();
        // Claim the call comes straight from agent-a for the user, dropping agent-b from the chain.
        payload["act"] = new JsonObject { ["sub"] = "agent-a" };
        payload["scope"] = "tickets:read tickets:write";
        var edited = parts[0] + "." + TokenGatewayFixture.B64(Encoding.UTF8.GetBytes(payload.ToJsonString()));
        using var foreign = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var resigned = edited + "." + TokenGatewayFixture.B64(foreign.SignData(Encoding.ASCII.GetBytes(edited), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));

        using (var response = await _gw.CallAsync(HttpMethod.Get, "/tickets/1", resigned))
        {
            await AssertRefusedAsync(response, "token.bad_signature");
        }
        using (var response = await _gw.CallAsync(HttpMethod.Get, "/tickets/1", edited + "." + parts[2]))
        {
            await AssertRefusedAsync(response, "token.bad_signature");
        }
        // The same payload as an exchange subject is refused too.
        using var exchange = await _gw.ExchangeAsync(_gw.AgentToken("agent-c"), resigned, ("scope", "tickets:read"));
        await AssertOAuthErrorAsync(exchange, "invalid_request", code: "token.bad_signature");
    }

    [Fact]
    public async Task Gateway_RevokedParent_ChildRefused()
    {
        var parent = await RootAsync("agent-a", "u7", "tickets:read");
        var child = await _gw.TaskTokenAsync(_gw.AgentToken("agent-b"), parent, ("scope", "tickets:read"));
        using (var revoke = await _gw.AdminPostAsync("/v1/revoke", JsonSerializer.Serialize(new { token = parent })))
        {
            Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        }
        using var response = await _gw.CallAsync(HttpMethod.Get, "/tickets/1", child);
        await AssertRefusedAsync(response, "token.revoked");
        // Nor can the revoked parent beget new children.
        using var again = await _gw.ExchangeAsync(_gw.AgentToken("agent-c"), parent, ("scope", "tickets:read"));
        await AssertOAuthErrorAsync(again, "invalid_request", code: "token.revoked");
    }

    private async Task<(string Token, ECDsa Key)> BoundTokenAsync(string user)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var proof = TokenGatewayFixture.DpopProof(key, "POST", new Uri(_gw.DataPlane, "/oauth2/token"));
        using var response = await _gw.ExchangeWithAsync(_gw.AgentToken("agent-a"), _gw.UserToken(user), proof, ("scope", "tickets:read"));
        var body = await JsonAsync(response);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("DPoP", body.GetProperty("token_type").GetString());
        return (body.GetProperty("access_token").GetString()!, key);
    }

    [Fact]
    public async Task Exchange_BoundParentWithoutItsKey_Refused()
    {
        var (parent, key) = await BoundTokenAsync("u9");
        using (key)
        using (var other = ECDsa.Create(ECCurve.NamedCurves.nistP256))
        {
            using (var bare = await _gw.ExchangeAsync(_gw.AgentToken("agent-b"), parent, ("scope", "tickets:read")))
            {
                await AssertOAuthErrorAsync(bare, "invalid_dpop_proof", "DPoP-bound", "dpop.required");
            }
            var foreignProof = TokenGatewayFixture.DpopProof(other, "POST", new Uri(_gw.DataPlane, "/oauth2/token"));
            using (var foreign = await _gw.ExchangeWithAsync(_gw.AgentToken("agent-b"), parent, foreignProof, ("scope", "tickets:read")))
            {
                await AssertOAuthErrorAsync(foreign, "invalid_dpop_proof", "DPoP-bound", "dpop.key_mismatch");
            }
            var ownProof = TokenGatewayFixture.DpopProof(key, "POST", new Uri(_gw.DataPlane, "/oauth2/token"));
            using var own = await _gw.ExchangeWithAsync(_gw.AgentToken("agent-b"), parent, ownProof, ("scope", "tickets:read"));
            Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        }
    }

    [Fact]
    public async Task Dpop_ProofReplayed_SecondCallRefused()
    {
        var (token, key) = await BoundTokenAsync("u8");
        using (key)
        {
            var url = new Uri(_gw.DataPlane, "/tickets/1");
            var proof = TokenGatewayFixture.DpopProof(key, "GET", url, token);
            using (var first = await _gw.CallAsync(HttpMethod.Get, "/tickets/1", token, "DPoP", ("DPoP", proof)))
            {
                Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            }
            Assert.Single(_gw.Upstream.Received);
            _gw.Upstream.Clear();
            using var replay = await _gw.CallAsync(HttpMethod.Get, "/tickets/1", token, "DPoP", ("DPoP", proof));
            await AssertRefusedAsync(replay, "dpop.invalid_proof");
        }
    }

    [Fact]
    public async Task Dpop_ProofForAnotherUrlOrMethod_Refused()
    {
        var (token, key) = await BoundTokenAsync("u9");
        using (key)
        {
            var otherUrl = TokenGatewayFixture.DpopProof(key, "GET", new Uri(_gw.DataPlane, "/tickets/2"), token);
            using (var response = await _gw.CallAsync(HttpMethod.Get, "/tickets/1", token, "DPoP", ("DPoP", otherUrl)))
            {
                await AssertRefusedAsync(response, "dpop.invalid_proof");
            }
            var otherMethod = TokenGatewayFixture.DpopProof(key, "DELETE", new Uri(_gw.DataPlane, "/tickets/1"), token);
            using (var response = await _gw.CallAsync(HttpMethod.Get, "/tickets/1", token, "DPoP", ("DPoP", otherMethod)))
            {
                await AssertRefusedAsync(response, "dpop.invalid_proof");
            }
            using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var wrongKey = TokenGatewayFixture.DpopProof(otherKey, "GET", new Uri(_gw.DataPlane, "/tickets/1"), token);
            using (var response = await _gw.CallAsync(HttpMethod.Get, "/tickets/1", token, "DPoP", ("DPoP", wrongKey)))
            {
                await AssertRefusedAsync(response, "dpop.key_mismatch");
            }
            using var asBearer = await _gw.CallAsync(HttpMethod.Get, "/tickets/1", token);
            await AssertRefusedAsync(asBearer, "dpop.required");
        }
    }

    [Fact]
    public async Task Exchange_UserTokenForAnotherAudience_Refused()
    {
        using var response = await _gw.ExchangeAsync(_gw.AgentToken("agent-a"), _gw.UserToken("u10", audience: "some-other-api"), ("scope", "tickets:read"));
        await AssertOAuthErrorAsync(response, "invalid_request", "subject token is not valid");
    }

    [Fact]
    public async Task Exchange_IdTokenAsSubject_Refused()
    {
        // Declared as an ID token: refused by type.
        using (var declared = await _gw.ExchangeAsync(_gw.AgentToken("agent-a"), null,
            ("subject_token", _gw.UserToken("u11")), ("subject_token_type", TokenTypeUris.IdToken)))
        {
            await AssertOAuthErrorAsync(declared, "invalid_request", "id token");
        }

        // An ID token passed off as an access token: refused by its claims.
        var idToken = _gw.Users.Mint("u11", scope: "tickets:read", audience: TokenGatewayFixture.ExchangeAudience,
            extraClaims: new Dictionary<string, object> { ["nonce"] = "n-0S6_WzA2Mj", ["at_hash"] = "77QmUPtjPfzWtF2AnpK9RQ" });
        using var disguised = await _gw.ExchangeAsync(_gw.AgentToken("agent-a"), idToken, ("scope", "tickets:read"));
        await AssertOAuthErrorAsync(disguised, "invalid_request", "id token");
    }

    [Fact]
    public async Task Exchange_ForgedActorToken_Refused()
    {
        using var foreign = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var forged = _gw.Agents.Mint("agent-a", scope: "", signWith: foreign);
        using var response = await _gw.ExchangeAsync(forged, _gw.UserToken("u12"), ("scope", "tickets:read"));
        await AssertOAuthErrorAsync(response, "invalid_request", "actor token is not valid");
    }

    [Fact]
    public async Task Restart_TokensAndRevocationsSurvive()
    {
        var parent = await RootAsync("agent-a", "u13", "tickets:read");
        var child = await _gw.TaskTokenAsync(_gw.AgentToken("agent-b"), parent, ("scope", "tickets:read"));
        var revoked = await RootAsync("agent-c", "u14", "tickets:read");
        using (var revoke = await _gw.AdminPostAsync("/v1/revoke", JsonSerializer.Serialize(new { token = revoked })))
        {
            Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        }

        await _gw.RestartAsync();

        using (var ok = await _gw.CallAsync(HttpMethod.Get, "/tickets/1", child))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }
        _gw.Upstream.Clear();
        using (var refused = await _gw.CallAsync(HttpMethod.Get, "/tickets/1", revoked))
        {
            await AssertRefusedAsync(refused, "token.revoked");
        }

        // The restarted node signs with the same stored key: new exchanges and delegations work.
        var grandchild = await _gw.TaskTokenAsync(_gw.AgentToken("agent-c"), child, ("scope", "tickets:read"));
        using var fresh = await _gw.CallAsync(HttpMethod.Get, "/tickets/1", grandchild);
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
    }

    [Fact]
    public async Task Exchange_MalformedRequests_NamedErrors()
    {
        using (var repeated = await _gw.ExchangeAsync(_gw.AgentToken("agent-a"), null, ("scope", "a"), ("scope", "b")))
        {
            await AssertOAuthErrorAsync(repeated, "invalid_request", "repeated");
        }
        using (var target = await _gw.ExchangeAsync(_gw.AgentToken("agent-a"), null, ("audience", "https://elsewhere.example")))
        {
            await AssertOAuthErrorAsync(target, "invalid_target");
        }
        using var json = await _gw.Client.PostAsync(new Uri(_gw.DataPlane, "/oauth2/token"), new StringContent("{}", Encoding.UTF8, "application/json"));
        await AssertOAuthErrorAsync(json, "invalid_request", "x-www-form-urlencoded");
    }
}
