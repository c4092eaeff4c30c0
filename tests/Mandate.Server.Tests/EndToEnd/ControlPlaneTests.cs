using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Mandate.Server.Tests.Support;

namespace Mandate.Server.Tests.EndToEnd;

/// <summary>Health on both planes, the admin API's authentication, and reload through the admin API.</summary>
public sealed class ControlPlaneTests : IAsyncLifetime
{
    private readonly GatewayFixture _gw = new();

    public Task InitializeAsync() => _gw.InitializeAsync();

    public Task DisposeAsync() => _gw.DisposeAsync();

    [Fact]
    public async Task Healthz_BothPlanes_Return200WithoutCredentials()
    {
        using var data = await _gw.Client.GetAsync(new Uri(_gw.DataPlane, "/healthz"));
        using var control = await _gw.Client.GetAsync(new Uri(_gw.ControlPlane, "/healthz"));

        Assert.Equal(HttpStatusCode.OK, data.StatusCode);
        Assert.Equal(HttpStatusCode.OK, control.StatusCode);
        Assert.Empty(_gw.Upstream.Received);
    }

    [Fact]
    public async Task Readyz_BothPlanes_ReadyWithEveryCheck()
    {
        foreach (var plane in new[] { _gw.DataPlane, _gw.ControlPlane })
        {
            using var response = await _gw.Client.GetAsync(new Uri(plane, "/readyz"));
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, body);
            using var json = JsonDocument.Parse(body);
            var checks = json.RootElement.GetProperty("checks");
            Assert.True(checks.GetProperty("policies").GetBoolean());
            Assert.True(checks.GetProperty("audit").GetBoolean());
            Assert.True(checks.GetProperty("identity").GetBoolean());
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer wrong-token-of-some-length")]
    [InlineData("Bearer test-admin-token-012345678")]
    [InlineData("Basic dGVzdDp0ZXN0")]
    public async Task AdminApi_WithoutAdminToken_Returns401(string? authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_gw.ControlPlane, "/v1/policies"));
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await _gw.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.DoesNotContain("read-tickets", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AdminPolicies_WithAdminToken_ListsVersionAndPolicyIds()
    {
        using var response = await Admin(HttpMethod.Get, "/v1/policies");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(_gw.Gateway.Server.Snapshots.Current.Version, json.RootElement.GetProperty("version").GetString());
        Assert.Equal(["read-tickets", "write-needs-trust", "legal-hold", "blocked-network"], json.RootElement.GetProperty("policies").EnumerateArray().Select(p => p.GetString()));
    }

    [Fact]
    public async Task AdminPaths_OnDataPlane_AreNotServed()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_gw.DataPlane, "/v1/policies"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", GatewayFiles.AdminToken);
        using var response = await _gw.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(_gw.Upstream.Received);
    }

    [Fact]
    public async Task Reload_BrokenPolicyFile_RefusedOldSetKeepsServingAndRefusalAudited()
    {
        var before = _gw.Gateway.Server.Snapshots.Current.Version;
        await File.WriteAllTextAsync(_gw.PolicyFile, GatewayFiles.Policies + "\npermit (principal, action, resource) when { ;");

        using var reload = await Admin(HttpMethod.Post, "/v1/reload");

        Assert.Equal((HttpStatusCode)422, reload.StatusCode);
        Assert.Contains("main.cedar", await reload.Content.ReadAsStringAsync());
        Assert.Equal(before, _gw.Gateway.Server.Snapshots.Current.Version);
        using var stillAllowed = await _gw.GetAsync("/tickets/42", _gw.Issuer.Mint("reader-bot"));
        Assert.Equal(HttpStatusCode.OK, stillAllowed.StatusCode);
        Assert.Contains(await _gw.AuditAsync(), e => e.Event.Kind == "policy_refused");
    }

    [Fact]
    public async Task Reload_PolicyFailingSchemaValidation_RefusedWithFileAndLine()
    {
        var before = _gw.Gateway.Server.Snapshots.Current.Version;
        await File.WriteAllTextAsync(_gw.PolicyFile, GatewayFiles.Policies + """

            @id("typo")
            permit (principal, action, resource) when { principal.trsut > 3 };
            """);

        using var reload = await Admin(HttpMethod.Post, "/v1/reload");

        var body = await reload.Content.ReadAsStringAsync();
        Assert.Equal((HttpStatusCode)422, reload.StatusCode);
        Assert.Contains("typo", body);
        Assert.Contains("main.cedar:", body);
        Assert.Contains("policy.validation", body);
        Assert.Equal(before, _gw.Gateway.Server.Snapshots.Current.Version);
    }

    [Fact]
    public async Task Reload_GoodPolicyChange_SwapsAndNewSetDecides()
    {
        var before = _gw.Gateway.Server.Snapshots.Current.Version;
        await File.WriteAllTextAsync(_gw.PolicyFile, GatewayFiles.Policies + """

            @id("no-ticket-42")
            @reason("ticket 42 is archived")
            forbid (principal, action, resource == Mandate::Ticket::"42");
            """);

        using var reload = await Admin(HttpMethod.Post, "/v1/reload");

        Assert.Equal(HttpStatusCode.OK, reload.StatusCode);
        Assert.NotEqual(before, _gw.Gateway.Server.Snapshots.Current.Version);
        using var denied = await _gw.GetAsync("/tickets/42", _gw.Issuer.Mint("reader-bot"));
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.Contains("ticket 42 is archived", await denied.Content.ReadAsStringAsync());
        Assert.Empty(_gw.Upstream.Received);
        Assert.Contains(await _gw.AuditAsync(), e => e.Event.Kind == "policy_reload" && e.Event.Policies.Contains("no-ticket-42"));
    }

    [Fact]
    public async Task Reload_BrokenRouteInConfig_RefusedOldRoutesKeepServing()
    {
        var config = Path.Combine(_gw.Directory, "mandate.yaml");
        var text = await File.ReadAllTextAsync(config);
        await File.WriteAllTextAsync(config, text.Replace("upstream: legacy", "upstream: nowhere"));

        using var reload = await Admin(HttpMethod.Post, "/v1/reload");

        Assert.Equal((HttpStatusCode)422, reload.StatusCode);
        Assert.Contains("unknown upstream `nowhere`", await reload.Content.ReadAsStringAsync());
        using var allowed = await _gw.GetAsync("/legacy/1", _gw.Issuer.Mint("reader-bot"));
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }

    private async Task<HttpResponseMessage> Admin(HttpMethod method, string path)
    {
        using var request = new HttpRequestMessage(method, new Uri(_gw.ControlPlane, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", GatewayFiles.AdminToken);
        return await _gw.Client.SendAsync(request);
    }
}
