using System.Net;
using System.Text.Json;

namespace Mandate.Server.Tests.Tokens;

/// <summary>
/// RFC 7009 revocation needs the client's authentication (§2.1): anonymous callers are refused 401 `invalid_client`,
/// an agent may revoke its own tokens and those derived from them, never another agent's. Each answer is recorded,
/// and each refused revocation leaves the token working.
/// </summary>
public sealed class RevocationAuthenticationTests : IClassFixture<TokenGatewayFixture>
{
    private readonly TokenGatewayFixture _gw;

    public RevocationAuthenticationTests(TokenGatewayFixture gw)
    {
        _gw = gw;
        _gw.Upstream.Clear();
    }

    private Task<string> RootAsync(string agent, string user) =>
        _gw.TaskTokenAsync(_gw.AgentToken(agent), _gw.UserToken(user), ("scope", "tickets:read"));

    private async Task<HttpStatusCode> CallStatusAsync(string token)
    {
        using var response = await _gw.CallAsync(HttpMethod.Get, "/tickets/1", token);
        return response.StatusCode;
    }

    private async Task AssertRecordedAsync(HttpResponseMessage response, string decision, string code, string? agent)
    {
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync() is { Length: > 0 } text ? text : "{}");
        var decisionId = body.RootElement.TryGetProperty("decision_id", out var id) ? id.GetString() : response.Headers.GetValues("X-Mandate-Decision-Id").Single();
        var record = Assert.Single(await _gw.AuditAsync(), e => e.Event.DecisionId == decisionId && e.Event.Kind == "decision");
        Assert.Equal(decision, record.Event.Decision);
        Assert.Equal(code, record.Event.Details["code"]);
        Assert.Equal("oauth", record.Event.Details["front"]);
        Assert.Equal(agent, record.Event.Agent);
    }

    [Fact]
    public async Task Revoke_Anonymous_401InvalidClientRecordedAndTokenStillWorks()
    {
        var token = await RootAsync("agent-a", "alice");

        using var response = await _gw.RevokeAsync(null, token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("invalid_client", body.RootElement.GetProperty("error").GetString());
        Assert.Equal("token.client_unauthenticated", body.RootElement.GetProperty("code").GetString());
        await AssertRecordedAsync(response, "deny", "token.client_unauthenticated", null);
        Assert.Equal(HttpStatusCode.OK, await CallStatusAsync(token));
    }

    [Fact]
    public async Task Revoke_AnotherAgentsToken_RefusedUnauthorizedClientRecordedAndTokenStillWorks()
    {
        var token = await RootAsync("agent-a", "alice");

        using var response = await _gw.RevokeAsync(_gw.AgentToken("rogue-bot"), token);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("unauthorized_client", body.RootElement.GetProperty("error").GetString());
        Assert.Equal("token.revoke_not_permitted", body.RootElement.GetProperty("code").GetString());
        await AssertRecordedAsync(response, "deny", "token.revoke_not_permitted", "rogue-bot");
        Assert.Equal(HttpStatusCode.OK, await CallStatusAsync(token));
    }

    [Fact]
    public async Task Revoke_OwnToken_200RecordedAndTokenRefusedAfter()
    {
        var token = await RootAsync("agent-a", "alice");

        using var response = await _gw.RevokeAsync(_gw.AgentToken("agent-a"), token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await AssertRecordedAsync(response, "allow", "token.revocation", "agent-a");
        Assert.Equal(HttpStatusCode.Unauthorized, await CallStatusAsync(token));
        Assert.Empty(_gw.Upstream.Received);
    }

    [Fact]
    public async Task Revoke_WithTheTaskTokenItselfAsCredential_200()
    {
        var token = await RootAsync("agent-a", "alice");

        using var response = await _gw.RevokeAsync(token, token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await CallStatusAsync(token));
    }

    [Fact]
    public async Task Revoke_DescendantByItsDelegator_200_ButNotTheOtherWayRound()
    {
        var parent = await RootAsync("agent-c", "bob");
        var child = await _gw.TaskTokenAsync(_gw.AgentToken("agent-d"), parent, ("scope", "tickets:read"));

        // The child's agent is not in the parent's chain: it may not revoke the token it was delegated from.
        using (var upward = await _gw.RevokeAsync(_gw.AgentToken("agent-d"), parent))
        {
            Assert.Equal(HttpStatusCode.BadRequest, upward.StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, await CallStatusAsync(parent));

        using (var downward = await _gw.RevokeAsync(_gw.AgentToken("agent-c"), child))
        {
            Assert.Equal(HttpStatusCode.OK, downward.StatusCode);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await CallStatusAsync(child));
        Assert.Equal(HttpStatusCode.OK, await CallStatusAsync(parent));
    }

    [Fact]
    public async Task Revoke_ByAnOperatorThePoliciesPermit_AnyToken200RecordedWithThePolicy()
    {
        var token = await RootAsync("agent-a", "alice");

        using var response = await _gw.RevokeAsync(_gw.AgentToken("agent-b"), token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var decisionId = response.Headers.GetValues("X-Mandate-Decision-Id").Single();
        var record = Assert.Single(await _gw.AuditAsync(), e => e.Event.DecisionId == decisionId && e.Event.Kind == "decision");
        Assert.Equal(("allow", "token.revocation", "agent-b"), (record.Event.Decision, record.Event.Details["code"], record.Event.Agent));
        Assert.Equal(["operators-revoke"], record.Event.Policies);
        Assert.Equal("Mandate::Agent::\"agent-a\"", record.Event.Resource);
        Assert.Equal(HttpStatusCode.Unauthorized, await CallStatusAsync(token));
    }

    [Fact]
    public async Task EndSession_WithoutTaskToken_401Recorded()
    {
        using var response = await _gw.CallAsync(HttpMethod.Post, "/oauth2/session/end", _gw.AgentToken("agent-a"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        await AssertRecordedAsync(response, "deny", "token.not_task_token", null);
    }

    [Fact]
    public async Task Introspect_Anonymous_401Recorded()
    {
        using var response = await _gw.Client.PostAsync(new Uri(_gw.DataPlane, "/oauth2/introspect"), new FormUrlEncodedContent([new("token", "x")]));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        await AssertRecordedAsync(response, "deny", "token.client_unauthenticated", null);
    }
}
