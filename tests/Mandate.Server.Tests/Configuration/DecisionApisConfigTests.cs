using Mandate.Server.Configuration;

namespace Mandate.Server.Tests.Configuration;

public sealed class DecisionApisConfigTests : IDisposable
{
    private const string Base = """
        controlPlane: { adminToken: "0123456789abcdef" }
        identity: { oidc: [ { issuer: "https://issuer.example", audiences: [mandate] } ] }
        policies: { directory: policies }
        """;

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "mandate-cfg-" + Guid.NewGuid().ToString("N")[..8]);

    public DecisionApisConfigTests() => Directory.CreateDirectory(Path.Combine(_dir, "policies"));

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private ConfigLoadResult Parse(string decisionApis) => MandateConfigLoader.Parse(Base + "\n" + decisionApis, Path.Combine(_dir, "mandate.yaml"));

    [Fact]
    public void Parse_DecisionApis_ReadWithDefaults()
    {
        var key = new string('a', 64);
        var result = Parse($$"""
            decisionApis:
              authzen:
                types: { user: User, doc: Docs::Doc }
                clients:
                  - { name: app, apiKeySha256: "{{key}}", subjects: [ "user:*", "user:alice" ] }
                  - { name: gw, agent: gateway-agent, subjects: [ "doc:team-*" ] }
              envoy: { peers: [ 10.0.0.7, "10.1.0.0/16" ] }
              nginx: { path: /auth/check, peers: [ 127.0.0.1 ] }
            """);

        Assert.True(result.Succeeded, string.Join("\n", result.Problems));
        var apis = result.Config!.DecisionApis;
        var authzen = apis.AuthZen!;
        Assert.Equal("Mandate::User", authzen.Types["user"]);
        Assert.Equal("Docs::Doc", authzen.Types["doc"]);
        Assert.Equal((50, 1000, 1000), (authzen.PageSize, authzen.MaxPageSize, authzen.MaxEvaluations));
        Assert.Equal("app", authzen.ClientFor("app", DecisionClientConfig.ApiKeyMethod)!.Name);
        Assert.Null(authzen.ClientFor("app", "oidc"));
        var gw = authzen.ClientFor("gateway-agent", "oidc")!;
        Assert.True(gw.MayAskAbout("Docs::Doc", "team-42"));
        Assert.False(gw.MayAskAbout("Docs::Doc", "other"));
        Assert.False(gw.MayAskAbout("Mandate::User", "team-42"));
        Assert.Equal("/envoy/check", apis.Envoy!.Path);
        Assert.True(apis.Envoy.IsPeer(System.Net.IPAddress.Parse("10.1.2.3")));
        Assert.False(apis.Envoy.IsPeer(System.Net.IPAddress.Parse("127.0.0.1")));
        Assert.Equal("/auth/check", apis.Nginx!.Path);
    }

    [Fact]
    public void Parse_DecisionApis_EveryProblemReportedWithItsPath()
    {
        var result = Parse("""
            decisionApis:
              authzen:
                types: { user: "" }
                clients:
                  - { name: a, agent: x, apiKeySha256: "00", subjects: [ "user:*" ] }
                  - { name: b, apiKeySha256: "not-hex", subjects: [ "robot:*", "user:a*b", "nocolon" ] }
                  - { name: c, agent: y }
                pageSize: 5000
              envoy: { path: /oauth2/check }
              nginx: { path: "relative", peers: [ "not-an-ip" ] }
            """);

        Assert.False(result.Succeeded);
        var paths = result.Problems.Select(p => p.Path).ToHashSet();
        foreach (var expected in (string[])[
            "decisionApis.authzen.types.user", "decisionApis.authzen.clients[0]", "decisionApis.authzen.clients[1].apiKeySha256",
            "decisionApis.authzen.clients[1].subjects[0]", "decisionApis.authzen.clients[1].subjects[1]", "decisionApis.authzen.clients[1].subjects[2]",
            "decisionApis.authzen.clients[2].subjects", "decisionApis.authzen.pageSize", "decisionApis.envoy.path", "decisionApis.envoy.peers",
            "decisionApis.nginx.path", "decisionApis.nginx.peers[0]"])
        {
            Assert.True(paths.Contains(expected), $"no problem at {expected}: {string.Join("; ", result.Problems)}");
        }

        Assert.NotNull(result.Problems.First(p => p.Path == "decisionApis.authzen.clients[1].apiKeySha256").Line);
    }

    [Fact]
    public void Parse_NoIssuer_AcceptedOnlyWhenAnApiKeyClientCanAsk()
    {
        const string noIssuer = """
            controlPlane: { adminToken: "0123456789abcdef" }
            identity: { oidc: [] }
            policies: { directory: policies }
            """;
        var withKey = MandateConfigLoader.Parse(noIssuer + $$"""

            decisionApis:
              authzen:
                types: { user: User }
                clients: [ { name: app, apiKeySha256: "{{new string('b', 64)}}", subjects: [ "user:*" ] } ]
            """, Path.Combine(_dir, "mandate.yaml"));
        Assert.True(withKey.Succeeded, string.Join("\n", withKey.Problems));

        var withoutKey = MandateConfigLoader.Parse(noIssuer, Path.Combine(_dir, "mandate.yaml"));
        Assert.Contains(withoutKey.Problems, p => p.Path == "identity");
    }
}
