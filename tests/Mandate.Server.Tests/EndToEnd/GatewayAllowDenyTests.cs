using System.Net;
using System.Text.Json;
using Mandate.Server.Tests.Support;

namespace Mandate.Server.Tests.EndToEnd;

/// <summary>Allow and deny through the real pipeline: JWT over HTTP JWKS, Cedar, SQLite audit, YARP.</summary>
public sealed class GatewayAllowDenyTests : IClassFixture<GatewayFixture>
{
    private readonly GatewayFixture _gw;

    public GatewayAllowDenyTests(GatewayFixture gw)
    {
        _gw = gw;
        _gw.Upstream.Clear();
    }

    [Fact]
    public async Task Get_AllowedAgent_ForwardsCanonicalPathWithoutAgentCredential()
    {
        var token = _gw.Issuer.Mint("reader-bot");
        using var response = await _gw.GetAsync("/tickets/42?expand=comments", token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("upstream ok", await response.Content.ReadAsStringAsync());
        var received = Assert.Single(_gw.Upstream.Received);
        Assert.Equal("GET", received.Method);
        Assert.Equal("/tickets/42?expand=comments", received.RawTarget);
        Assert.Null(received.Header("Authorization"));
        Assert.Equal("127.0.0.1", received.Header("X-Forwarded-For"));
    }

    [Fact]
    public async Task Get_ForbiddenResource_Returns403WithPolicyAndReasonAndForwardsNothing()
    {
        var token = _gw.Issuer.Mint("reader-bot");
        using var response = await _gw.GetAsync("/tickets/13", token);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("policy.deny", problem.RootElement.GetProperty("code").GetString());
        Assert.Equal(["legal-hold"], problem.RootElement.GetProperty("policies").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(["ticket 13 is under legal hold"], problem.RootElement.GetProperty("reasons").EnumerateArray().Select(p => p.GetString()));
        Assert.False(string.IsNullOrEmpty(problem.RootElement.GetProperty("decisionId").GetString()));
        Assert.Empty(_gw.Upstream.Received);
    }

    [Fact]
    public async Task Get_NoPermitApplies_Returns403DefaultDenyAndForwardsNothing()
    {
        var token = _gw.Issuer.Mint("reader-bot", scope: "other:scope");
        using var response = await _gw.GetAsync("/tickets/42", token);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Empty(problem.RootElement.GetProperty("policies").EnumerateArray());
        Assert.Equal("no policy permits this request", problem.RootElement.GetProperty("detail").GetString());
        Assert.Empty(_gw.Upstream.Received);
    }

    [Fact]
    public async Task Delete_AgentAttributesFromRegistry_DecideWrite()
    {
        using var trusted = await _gw.SendAsync(HttpMethod.Delete, "/tickets/7", _gw.Issuer.Mint("trusted-bot"));
        Assert.Equal(HttpStatusCode.OK, trusted.StatusCode);
        using var untrusted = await _gw.SendAsync(HttpMethod.Delete, "/tickets/8", _gw.Issuer.Mint("reader-bot"));
        Assert.Equal(HttpStatusCode.Forbidden, untrusted.StatusCode);

        var received = Assert.Single(_gw.Upstream.Received);
        Assert.Equal(("DELETE", "/tickets/7"), (received.Method, received.RawTarget));
    }

    [Fact]
    public async Task Get_LiteralSegmentRoute_BeatsParameterRoute()
    {
        // `/tickets/export` is the `export` action on Api::"tickets"; no policy permits it.
        using var response = await _gw.GetAsync("/tickets/export", _gw.Issuer.Mint("reader-bot"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(_gw.Upstream.Received);
    }

    [Fact]
    public async Task Get_CatchAllRoute_ForwardsRestOfPath()
    {
        using var response = await _gw.GetAsync("/files/a/b/c%20d.txt", _gw.Issuer.Mint("reader-bot"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("/files/a/b/c%20d.txt", Assert.Single(_gw.Upstream.Received).RawTarget);
    }

    [Fact]
    public async Task Get_UnknownRoute_Returns404AndForwardsNothing()
    {
        using var response = await _gw.GetAsync("/admin/users", _gw.Issuer.Mint("trusted-bot"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("route.not_found", (await Problem(response)).GetProperty("code").GetString());
        Assert.Empty(_gw.Upstream.Received);
    }

    [Fact]
    public async Task Post_KnownPathOtherMethod_Returns405AndForwardsNothing()
    {
        using var response = await _gw.SendAsync(HttpMethod.Post, "/tickets/5", _gw.Issuer.Mint("trusted-bot"));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Empty(_gw.Upstream.Received);
    }

    [Fact]
    public async Task Get_Allowed_DecisionRecordDurableBeforeOutcomeWithPolicies()
    {
        using var response = await _gw.GetAsync("/tickets/99", _gw.Issuer.Mint("reader-bot"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var decisionId = response.Headers.GetValues("X-Mandate-Decision-Id").Single();

        // The outcome record is appended after the response is complete; wait for it.
        // (A deadline, not a count of tries: 100 tries of 50 ms gave a loaded machine barely five seconds.)
        var records = (await _gw.AuditAsync()).Where(e => e.Event.DecisionId == decisionId).ToList();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (records.Count < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
            records = (await _gw.AuditAsync()).Where(e => e.Event.DecisionId == decisionId).ToList();
        }

        Assert.Equal(["decision", "outcome"], records.Select(r => r.Event.Kind));
        Assert.Equal("allow", records[0].Event.Decision);
        Assert.Equal("reader-bot", records[0].Event.Agent);
        Assert.Equal(["read-tickets"], records[0].Event.Policies);
        Assert.Equal("Mandate::Ticket::\"99\"", records[0].Event.Resource);
        Assert.Equal(200, records[1].Event.Status);
        Assert.Equal("upstream ok".Length, records[1].Event.Bytes);
        // The outcome repeats who asked, so a replay by agent (or session) shows what followed each decision.
        Assert.Equal("reader-bot", records[1].Event.Agent);
        Assert.Equal(records[0].Event.User, records[1].Event.User);
    }

    [Fact]
    public async Task Get_Denied_DecisionRecordedAsDeny()
    {
        using var response = await _gw.GetAsync("/tickets/13", _gw.Issuer.Mint("reader-bot"));
        var decisionId = response.Headers.GetValues("X-Mandate-Decision-Id").Single();

        var record = Assert.Single(await _gw.AuditAsync(), e => e.Event.DecisionId == decisionId);
        Assert.Equal("deny", record.Event.Decision);
        Assert.Equal(["legal-hold"], record.Event.Policies);
    }

    internal static async Task<JsonElement> Problem(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
}
