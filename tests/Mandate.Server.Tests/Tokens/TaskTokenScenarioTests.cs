using System.Net;
using System.Text.Json;
using Mandate.Core.OAuth;

namespace Mandate.Server.Tests.Tokens;

/// <summary>
/// User → agent A → agent B through real HTTP: exchange, delegation, calls through the gateway, revocation that
/// bites on the next request, session end, introspection, discovery, minted downstream tokens, restart survival.
/// </summary>
public sealed class TaskTokenScenarioTests : IClassFixture<TokenGatewayFixture>
{
    private readonly TokenGatewayFixture _gw;

    public TaskTokenScenarioTests(TokenGatewayFixture gw)
    {
        _gw = gw;
        _gw.Upstream.Clear();
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }

    [Fact]
    public async Task Delegation_UserToAToNarrowerB_CallAllowed_RevokeA_BDeniedOnNextCall()
    {
        // The user's token, exchanged by agent A for a task token.
        using var rootResponse = await _gw.ExchangeAsync(_gw.AgentToken("agent-a"), _gw.UserToken("alice"),
            ("scope", "tickets:read tickets:write"),
            ("authorization_details", """[{"type":"agent_task","intent":"triage tickets","actions":["read","write"],"resources":["/tickets/*"]}]"""));
        var root = await JsonAsync(rootResponse);
        Assert.Equal(HttpStatusCode.OK, rootResponse.StatusCode);
        Assert.Equal("no-store", rootResponse.Headers.CacheControl?.ToString());
        Assert.Equal(TokenTypeUris.AccessToken, root.GetProperty("issued_token_type").GetString());
        Assert.Equal("Bearer", root.GetProperty("token_type").GetString());
        Assert.Equal("tickets:read tickets:write", root.GetProperty("scope").GetString());
        Assert.InRange(root.GetProperty("expires_in").GetInt64(), 200, 300);
        var tokenA = root.GetProperty("access_token").GetString()!;

        // A delegates to B, narrower: read only.
        using var childResponse = await _gw.ExchangeAsync(_gw.AgentToken("agent-b"), tokenA, ("scope", "tickets:read"));
        var child = await JsonAsync(childResponse);
        Assert.Equal(HttpStatusCode.OK, childResponse.StatusCode);
        Assert.Equal("tickets:read", child.GetProperty("scope").GetString());
        var tokenB = child.GetProperty("access_token").GetString()!;

        using (var allowed = await _gw.CallAsync(HttpMethod.Get, "/tickets/7", tokenB))
        {
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }
        var forwarded = Assert.Single(_gw.Upstream.Received);
        Assert.Null(forwarded.Header("Authorization"));

        // B holds read only: a write is denied by policy even though the task declared writes.
        using (var write = await _gw.CallAsync(HttpMethod.Delete, "/tickets/7", tokenB))
        {
            Assert.Equal(HttpStatusCode.Forbidden, write.StatusCode);
        }

        using (var revoke = await _gw.AdminPostAsync("/v1/revoke", """{"agent":"agent-a"}"""))
        {
            Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
            Assert.True((await JsonAsync(revoke)).GetProperty("tokens").GetInt32() >= 2);
        }

        _gw.Upstream.Clear();
        using var denied = await _gw.CallAsync(HttpMethod.Get, "/tickets/7", tokenB);
        Assert.Equal(HttpStatusCode.Unauthorized, denied.StatusCode);
        Assert.Equal("token.revoked", (await JsonAsync(denied)).GetProperty("code").GetString());
        Assert.Empty(_gw.Upstream.Received);

        // Both exchanges were decided by Cedar and recorded.
        var audit = await _gw.AuditAsync();
        Assert.Contains(audit, e => e.CanonicalJson.Contains("Action::\\\"token.exchange\\\"", StringComparison.Ordinal) && e.CanonicalJson.Contains("may-act-for-users", StringComparison.Ordinal));
        Assert.Contains(audit, e => e.CanonicalJson.Contains("Action::\\\"delegate\\\"", StringComparison.Ordinal) && e.CanonicalJson.Contains("may-delegate", StringComparison.Ordinal));

        // B's allowed call is recorded under B's task session, so `mandate audit query --session` replays it.
        var payloadB = JsonDocument.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(tokenB.Split('.')[1])).RootElement;
        var sessionB = payloadB.GetProperty("sid").GetString();
        Assert.False(string.IsNullOrEmpty(sessionB));
        Assert.Contains(audit, e => e.Event.Kind == "decision" && e.Event.SessionId == sessionB && e.Event.Decision == "allow");
    }

    [Fact]
    public async Task Revoke_ParentByRfc7009_ChildPresentedIsRefused()
    {
        var parent = await _gw.TaskTokenAsync(_gw.AgentToken("agent-c"), _gw.UserToken("bob"), ("scope", "tickets:read"));
        var child = await _gw.TaskTokenAsync(_gw.AgentToken("agent-d"), parent, ("scope", "tickets:read"));
        using (var ok = await _gw.CallAsync(HttpMethod.Get, "/tickets/1", child))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        // RFC 7009 §2.1: the client authenticates (agent-c, whose token it is) before it revokes.
        using (var revoke = await _gw.RevokeAsync(_gw.AgentToken("agent-c"), parent, ("token_type_hint", "access_token")))
        {
            Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        }

        _gw.Upstream.Clear();
        using var refused = await _gw.CallAsync(HttpMethod.Get, "/tickets/1", child);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Empty(_gw.Upstream.Received);
    }

    [Fact]
    public async Task Revoke_UnknownTokenByAuthenticatedClient_Still200()
    {
        using var revoke = await _gw.RevokeAsync(_gw.AgentToken("agent-c"), "not-a-token");
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
    }

    [Fact]
    public async Task EndSession_ThenCall_Refused()
    {
        var token = await _gw.TaskTokenAsync(_gw.AgentToken("agent-c"), _gw.UserToken("carol"), ("scope", "tickets:read"));
        using (var end = await _gw.CallAsync(HttpMethod.Post, "/oauth2/session/end", token))
        {
            Assert.Equal(HttpStatusCode.OK, end.StatusCode);
        }
        using var refused = await _gw.CallAsync(HttpMethod.Get, "/tickets/2", token);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Empty(_gw.Upstream.Received);
    }

    [Fact]
    public async Task OutOfTask_CallOutsideDeclaredResources_DeniedBeforePolicy()
    {
        var token = await _gw.TaskTokenAsync(_gw.AgentToken("agent-c"), _gw.UserToken("dave"),
            ("scope", "tickets:read tickets:write"),
            ("authorization_details", """[{"type":"agent_task","intent":"read ticket 5","actions":["read"],"resources":["/tickets/5"]}]"""));
        using (var inside = await _gw.CallAsync(HttpMethod.Get, "/tickets/5", token))
        {
            Assert.Equal(HttpStatusCode.OK, inside.StatusCode);
        }
        _gw.Upstream.Clear();
        foreach (var (method, path) in new[] { (HttpMethod.Get, "/tickets/6"), (HttpMethod.Delete, "/tickets/5") })
        {
            using var outside = await _gw.CallAsync(method, path, token);
            Assert.Equal(HttpStatusCode.Forbidden, outside.StatusCode);
            Assert.Equal("session.out_of_task", (await JsonAsync(outside)).GetProperty("code").GetString());
        }
        Assert.Empty(_gw.Upstream.Received);
    }

    [Fact]
    public async Task Introspect_OwnAgentSeesActive_OtherAgentSeesInactive_AdminSeesActive()
    {
        var token = await _gw.TaskTokenAsync(_gw.AgentToken("agent-c"), _gw.UserToken("erin"), ("scope", "tickets:read"));
        async Task<JsonElement> IntrospectAs(string agent)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_gw.DataPlane, "/oauth2/introspect")) { Content = new FormUrlEncodedContent([new("token", token)]) };
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + _gw.AgentToken(agent));
            using var response = await _gw.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return await JsonAsync(response);
        }

        var own = await IntrospectAs("agent-c");
        Assert.True(own.GetProperty("active").GetBoolean());
        Assert.Equal("erin", own.GetProperty("sub").GetString());
        Assert.False((await IntrospectAs("agent-d")).GetProperty("active").GetBoolean());
        using var admin = await _gw.AdminPostAsync("/v1/introspect", JsonSerializer.Serialize(new { token }));
        Assert.True((await JsonAsync(admin)).GetProperty("active").GetBoolean());

        using var anonymous = await _gw.Client.PostAsync(new Uri(_gw.DataPlane, "/oauth2/introspect"), new FormUrlEncodedContent([new("token", token)]));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task McpProtectedResourceMetadata_NamesMandatesOwnIssuer()
    {
        using var response = await _gw.Client.GetAsync(new Uri(_gw.DataPlane, "/.well-known/oauth-protected-resource/mcp/tools"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var servers = (await JsonAsync(response)).GetProperty("authorization_servers").EnumerateArray().Select(e => e.GetString()!).ToArray();
        Assert.Equal(new[] { TokenGatewayFixture.TaskIssuer }, servers);
    }

    [Fact]
    public async Task Discovery_JwksAndMetadata_Published()
    {
        using var jwks = await _gw.Client.GetAsync(new Uri(_gw.DataPlane, "/.well-known/jwks.json"));
        var keys = (await JsonAsync(jwks)).GetProperty("keys");
        Assert.True(keys.GetArrayLength() >= 1);
        Assert.Equal("EC", keys[0].GetProperty("kty").GetString());
        Assert.False(keys[0].TryGetProperty("d", out _));

        using var metadata = await _gw.Client.GetAsync(new Uri(_gw.DataPlane, "/.well-known/oauth-authorization-server"));
        var m = await JsonAsync(metadata);
        Assert.Equal(TokenGatewayFixture.TaskIssuer, m.GetProperty("issuer").GetString());
        Assert.Equal(TokenGatewayFixture.TaskIssuer + "/oauth2/token", m.GetProperty("token_endpoint").GetString());
        Assert.Contains(TokenTypeUris.TokenExchangeGrant, m.GetProperty("grant_types_supported").EnumerateArray().Select(g => g.GetString()));
    }

    [Fact]
    public async Task MintedCredential_TaskTokenCaller_UpstreamGetsFreshNarrowToken_OtherCallerRefused()
    {
        var token = await _gw.TaskTokenAsync(_gw.AgentToken("agent-c"), _gw.UserToken("frank"), ("scope", "tickets:read tickets:write"));
        using (var ok = await _gw.CallAsync(HttpMethod.Get, "/minted/3", token))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }
        var received = Assert.Single(_gw.Upstream.Received);
        var header = received.Header("Authorization");
        Assert.NotNull(header);
        Assert.StartsWith("Bearer ", header);
        var minted = header["Bearer ".Length..];
        Assert.NotEqual(token, minted);
        using var payload = JsonDocument.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(minted.Split('.')[1]));
        var aud = payload.RootElement.GetProperty("aud");
        Assert.Equal("tickets-api", aud.ValueKind == JsonValueKind.Array ? aud[0].GetString() : aud.GetString());
        Assert.Equal("tickets:read", payload.RootElement.GetProperty("scope").GetString());

        _gw.Upstream.Clear();
        using var plain = await _gw.CallAsync(HttpMethod.Get, "/minted/3", _gw.Agents.Mint("agent-c", scope: "tickets:read"));
        Assert.Equal(HttpStatusCode.Forbidden, plain.StatusCode);
        Assert.Equal("upstream.needs_task_token", (await JsonAsync(plain)).GetProperty("code").GetString());
        Assert.Empty(_gw.Upstream.Received);
    }

    [Fact]
    public async Task AgentForItself_NoSubject_Allowed_RogueDeniedWithReason()
    {
        var token = await _gw.TaskTokenAsync(_gw.AgentToken("agent-d"), null, ("scope", "tickets:read"));
        using (var ok = await _gw.CallAsync(HttpMethod.Get, "/tickets/9", token))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }
        using var rogue = await _gw.ExchangeAsync(_gw.AgentToken("rogue-bot"), null, ("scope", "tickets:read"));
        Assert.Equal(HttpStatusCode.BadRequest, rogue.StatusCode);
        var error = await JsonAsync(rogue);
        Assert.Equal("invalid_request", error.GetProperty("error").GetString());
        Assert.Equal("policy.deny", error.GetProperty("code").GetString());
        Assert.Contains("rogue-bot may never hold a task token", error.GetProperty("error_description").GetString());
    }
}
