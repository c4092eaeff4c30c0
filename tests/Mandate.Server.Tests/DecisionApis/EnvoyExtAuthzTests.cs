using System.Net;
using System.Text.Json;
using Mandate.Server.Tests.Support;

namespace Mandate.Server.Tests.DecisionApis;

/// <summary>
/// Envoy's ext_authz HTTP service protocol, spoken to a real gateway: no Envoy is packaged for this machine (not in
/// Debian, npm or NuGet), so the test sends what Envoy's HTTP filter sends — the original method, the original target
/// appended to the configured <c>path_prefix</c>, the original headers (Authorization among Envoy's defaults) — and
/// checks what Envoy reads back: 200 with the headers it adds upstream (<c>allowed_upstream_headers</c>), or the denied
/// status, headers and body it passes to the client, here the problem+json Mandate's own proxy answers.
/// </summary>
public sealed class EnvoyExtAuthzTests : IAsyncLifetime
{
    private DecisionApiGateway _g = null!;
    private RecordingUpstream _upstream = null!;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        _upstream = await RecordingUpstream.StartAsync();
        _g = await DecisionApiGateway.StartAsync(CheckScenario.Policies, "[]", CheckScenario.DecisionApis(), CheckScenario.Routes(_upstream.Url));
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        await _g.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [Fact]
    public async Task Check_Allowed_Is200WithTheHeadersForTheUpstream()
    {
        using var response = await CheckAsync(HttpMethod.Get, "/tickets/7?x=1", _g.Issuer.Mint("reader"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("reader", response.Headers.GetValues("X-Mandate-Agent").Single());
        Assert.Equal("policy.allow", response.Headers.GetValues("X-Mandate-Code").Single());
        var decisionId = response.Headers.GetValues("X-Mandate-Decision-Id").Single();
        var record = Assert.Single(await _g.DecisionRecordsAsync(), r => r.DecisionId == decisionId);
        Assert.Equal("envoy", record.Details["front"]);
        Assert.Equal("/tickets/7", record.Details["path"]);
        Assert.Equal("203.0.113.9", record.Details["ip"]); // the client Envoy names, believed from a configured peer
        Assert.Equal("Mandate::Action::\"read\"", record.Action);
        Assert.Equal("Mandate::Ticket::\"7\"", record.Resource);
        Assert.Empty(_upstream.Received);
    }

    [Fact]
    public async Task Check_Denied_IsTheProblemMandatesProxyWouldAnswer()
    {
        var token = _g.Issuer.Mint("reader");
        using var check = await CheckAsync(HttpMethod.Delete, "/tickets/7", token);
        using var proxied = await _g.Http.SendAsync(new HttpRequestMessage(HttpMethod.Delete, new Uri(_g.DataPlane, "/tickets/7")) { Headers = { { "Authorization", "Bearer " + token } } });
        Assert.Equal(HttpStatusCode.Forbidden, check.StatusCode);
        Assert.Equal(proxied.StatusCode, check.StatusCode);
        Assert.Equal("application/problem+json", check.Content.Headers.ContentType?.MediaType);
        var a = await JsonAsync(check);
        var b = await JsonAsync(proxied);
        foreach (var member in (string[])["type", "title", "status", "detail", "code", "policies", "reasons"])
        {
            Assert.Equal(b.GetProperty(member).GetRawText(), a.GetProperty(member).GetRawText());
        }

        Assert.Equal("tickets are never deleted by agents", a.GetProperty("reasons")[0].GetString());
        Assert.Empty(_upstream.Received);
    }

    [Theory]
    [InlineData(null, "/tickets/7", HttpStatusCode.Unauthorized, "identity.missing")]
    [InlineData("reader", "/tickets/a%2Fb", HttpStatusCode.BadRequest, "path.encoded_slash")]
    [InlineData("reader", "/elsewhere", HttpStatusCode.NotFound, "route.not_found")]
    public async Task Check_Refused_CarriesItsCodeAndIsRecorded(string? agent, string target, HttpStatusCode status, string code)
    {
        using var response = await CheckAsync(HttpMethod.Get, target, agent is null ? null : _g.Issuer.Mint(agent));
        Assert.Equal(status, response.StatusCode);
        Assert.Equal(code, (await JsonAsync(response)).GetProperty("code").GetString());
        if (status == HttpStatusCode.Unauthorized)
        {
            Assert.NotEmpty(response.Headers.WwwAuthenticate);
        }

        var decisionId = response.Headers.GetValues("X-Mandate-Decision-Id").Single();
        Assert.Equal(code, Assert.Single(await _g.DecisionRecordsAsync(), r => r.DecisionId == decisionId).Details["code"]);
    }

    [Fact]
    public async Task Check_FromAnAddressThatIsNoPeer_Is403AndRecorded()
    {
        await using var other = await DecisionApiGateway.StartAsync(CheckScenario.Policies, "[]", CheckScenario.DecisionApis(peer: "192.0.2.1"), CheckScenario.Routes(_upstream.Url));
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(other.DataPlane, "/envoy/check/tickets/7"));
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + other.Issuer.Mint("reader"));
        using var response = await other.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var decisionId = response.Headers.GetValues("X-Mandate-Decision-Id").Single();
        Assert.Equal("check.untrusted_peer", Assert.Single(await other.DecisionRecordsAsync(), r => r.DecisionId == decisionId).Details["code"]);
    }

    [Fact]
    public async Task Check_NonAsciiPath_OnARouteThatTakesOnlyAscii_IsRefusedAsByTheProxy()
    {
        using var response = await CheckAsync(HttpMethod.Get, "/tickets/caf%C3%A9", _g.Issuer.Mint("reader"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("path.non_ascii", response.Headers.GetValues("X-Mandate-Code").Single());
        var decisionId = response.Headers.GetValues("X-Mandate-Decision-Id").Single();
        var record = Assert.Single(await _g.DecisionRecordsAsync(), r => r.DecisionId == decisionId);
        Assert.Equal("path.non_ascii", record.Details["code"]);
        Assert.Equal("envoy", record.Details["front"]);
    }

    [Theory]
    [InlineData("two words")]
    [InlineData("host/with/path")]
    [InlineData("a@b")]
    public async Task Check_ForwardedHostThatIsNoHostName_Is400AndRecorded(string host)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_g.DataPlane, "/envoy/check/tickets/7"));
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + _g.Issuer.Mint("reader"));
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", "203.0.113.9");
        request.Headers.TryAddWithoutValidation("X-Forwarded-Host", host);
        using var response = await _g.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("check.bad_original", (await JsonAsync(response)).GetProperty("code").GetString());
        var decisionId = response.Headers.GetValues("X-Mandate-Decision-Id").Single();
        Assert.Equal("check.bad_original", Assert.Single(await _g.DecisionRecordsAsync(), r => r.DecisionId == decisionId).Details["code"]);
        Assert.Empty(_upstream.Received);
    }

    // What Envoy's HTTP ext_authz filter sends for a request it holds: method and headers as received, path_prefix + target.
    private async Task<HttpResponseMessage> CheckAsync(HttpMethod method, string target, string? token)
    {
        using var request = new HttpRequestMessage(method, new Uri(_g.DataPlane, "/envoy/check" + target));
        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        }

        request.Headers.TryAddWithoutValidation("X-Forwarded-For", "203.0.113.9");
        return await _g.Http.SendAsync(request);
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }
}
