using Mandate.Server.Configuration;

namespace Mandate.Server.Tests.Configuration;

/// <summary>The route and upstream options that harden forwarding: <c>requestHeaders</c>, <c>nonAscii</c>, <c>dpop</c>.</summary>
public sealed class RouteHardeningConfigTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "mandate-cfg-" + Guid.NewGuid().ToString("N")[..8]);

    public RouteHardeningConfigTests() => Directory.CreateDirectory(Path.Combine(_dir, "policies"));

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private ConfigLoadResult Parse(string routeExtra, string upstreamExtra = "", string tokens = "") => MandateConfigLoader.Parse($$"""
        controlPlane: { adminToken: "0123456789abcdef" }
        identity: { oidc: [ { issuer: "https://issuer.example", audiences: [mandate] } ] }
        policies: { directory: policies }
        {{tokens}}
        upstreams:
          api: { url: "http://127.0.0.1:1"{{upstreamExtra}} }
        routes:
          - { method: GET, path: "/t/{id}", action: read, resource: { type: T, id: "{id}" }, upstream: api{{routeExtra}} }
        """, Path.Combine(_dir, "mandate.yaml"));

    [Fact]
    public void Parse_NoOptions_DefaultAllowlistAsciiPathsDpopOptional()
    {
        var result = Parse("");

        Assert.True(result.Succeeded, string.Join("\n", result.Problems));
        var route = Assert.Single(result.Config!.Routes);
        Assert.True(RequestHeaderRules.DefaultForwarded.SetEquals(route.ForwardedHeaders));
        Assert.False(route.NonAsciiPaths);
        Assert.False(route.DpopRequired);
    }

    [Fact]
    public void Parse_RequestHeadersOnUpstreamAndRoute_AreAddedToTheDefault()
    {
        var result = Parse(", requestHeaders: [X-Tenant]", ", requestHeaders: [Idempotency-Key]");

        Assert.True(result.Succeeded, string.Join("\n", result.Problems));
        var forwarded = Assert.Single(result.Config!.Routes).ForwardedHeaders;
        Assert.Contains("x-tenant", forwarded);
        Assert.Contains("IDEMPOTENCY-KEY", forwarded);
        Assert.Contains("Accept", forwarded);
    }

    [Theory]
    [InlineData("X-Original-URL")]
    [InlineData("X-Envoy-Original-Path")]
    [InlineData("X-Forwarded-Prefix")]
    [InlineData("X-Forwarded-For")]
    [InlineData("X-HTTP-Method-Override")]
    [InlineData("Authorization")]
    [InlineData("Cookie")]
    [InlineData("X-Mandate-Agent")]
    [InlineData("Content-Length")]
    [InlineData("bad header")]
    public void Parse_RequestHeaderThatCanNeverBeForwarded_IsAProblemWithItsPath(string name)
    {
        var routeResult = Parse($", requestHeaders: [\"{name}\"]");
        var upstreamResult = Parse("", $", requestHeaders: [\"{name}\"]");

        Assert.Contains(routeResult.Problems, p => p.Path == "routes[0].requestHeaders[0]");
        Assert.Contains(upstreamResult.Problems, p => p.Path == "upstreams.api.requestHeaders[0]");
    }

    [Fact]
    public void Parse_NonAsciiAllow_IsRead_AndAnythingElseIsAProblem()
    {
        Assert.True(Assert.Single(Parse(", nonAscii: allow").Config!.Routes).NonAsciiPaths);
        Assert.Contains(Parse(", nonAscii: yes").Problems, p => p.Path == "routes[0].nonAscii");
    }

    [Fact]
    public void Parse_DpopRequired_NeedsTokens()
    {
        Assert.Contains(Parse(", dpop: required").Problems, p => p.Path == "routes[0].dpop" && p.Message.Contains("tokens", StringComparison.Ordinal));
        Assert.Contains(Parse(", dpop: always").Problems, p => p.Path == "routes[0].dpop");

        var withTokens = Parse(", dpop: required", tokens: "tokens: { issuer: \"https://mandate.example\" }");
        Assert.True(withTokens.Succeeded, string.Join("\n", withTokens.Problems));
        Assert.True(Assert.Single(withTokens.Config!.Routes).DpopRequired);
    }
}
