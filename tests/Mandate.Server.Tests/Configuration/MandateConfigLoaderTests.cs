using Mandate.Server.Configuration;

namespace Mandate.Server.Tests.Configuration;

public sealed class MandateConfigLoaderTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "mandate-cfg-" + Guid.NewGuid().ToString("N")[..8]);

    public MandateConfigLoaderTests() => Directory.CreateDirectory(Path.Combine(_dir, "policies"));

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private ConfigLoadResult Parse(string yaml) => MandateConfigLoader.Parse(yaml, Path.Combine(_dir, "mandate.yaml"));

    [Fact]
    public void Parse_SeveralProblems_ReportsEveryOneWithPathAndLine()
    {
        var result = Parse("""
            dataPlane:
              listen: "not-an-address"
            controlPlane:
              listen: 127.0.0.1:9001
              adminToken: short
            identity:
              oidc:
                - issuer: http://issuer.example.com
                  audiences: [mandate]
                  algorithms: [HS256]
            policies:
              directory: missing-folder
            upstreams:
              api: { url: "ftp://x" }
            routes:
              - method: GET
                path: /tickets/{id}
                action: read
                resource: { type: Ticket, id: "{ticket}" }
                upstream: api
              - method: GET
                path: /a//b
                action: read
                resource: { type: "Bad Type", id: x }
                upstream: nowhere
              - method: GET
                path: /tickets/{id}
                resource: { type: Ticket, id: "{id}" }
                upstream: api
            audit:
              checkpointEvery: -5
            trustedProxies: [ "10.0.0.0/8", "nonsense" ]
            """);

        Assert.False(result.Succeeded);
        var all = string.Join("\n", result.Problems);
        void Has(string path, int line, string fragment) =>
            Assert.True(result.Problems.Any(p => p.Path == path && p.Line == line && p.Message.Contains(fragment, StringComparison.Ordinal)), $"missing {path} (line {line}) in:\n{all}");

        Has("dataPlane.listen", 2, "not `address:port`");
        Has("controlPlane.adminToken", 5, "at least 16 characters");
        Has("identity.oidc[0].issuer", 8, "must use https");
        Has("identity.oidc[0].algorithms[0]", 10, "`HS256` is not allowed");
        Has("policies.directory", 12, "does not exist");
        Has("upstreams.api.url", 14, "not an absolute http(s) url");
        Has("routes[0].resource.id", 19, "`{ticket}` is not a parameter");
        Has("routes[1].path", 22, "empty segment");
        Has("routes[1].resource.type", 24, "not a cedar entity type");
        Has("routes[1].upstream", 25, "unknown upstream `nowhere`");
        Has("routes[2].action", 26, "required");
        Has("routes[2].path", 27, "same method and path shape as routes[0]");
        Has("audit.checkpointEvery", 31, "whole number");
        Has("trustedProxies[1]", 32, "not an ip address");
        Assert.Equal(14, result.Problems.Count);
    }

    [Fact]
    public void Parse_UnknownKeysAndWrongShapes_AllReportedWithLines()
    {
        var result = Parse("""
            dataPlane:
              lisen: 127.0.0.1:8080
            controlPlane: [ a, b ]
            routes:
              - method: GET
                paht: /x
            polices: {}
            """);

        Assert.False(result.Succeeded);
        Assert.Contains(result.Problems, p => p.Path == "dataPlane.lisen" && p.Line == 2 && p.Message.Contains("unknown key `lisen`"));
        Assert.Contains(result.Problems, p => p.Path == "controlPlane" && p.Line == 3 && p.Message.Contains("expected a mapping"));
        Assert.Contains(result.Problems, p => p.Path == "routes[0].paht" && p.Line == 6);
        Assert.Contains(result.Problems, p => p.Path == "polices" && p.Line == 7);
    }

    [Fact]
    public void Parse_ReservedPathAndNullAttribute_Refused()
    {
        var result = Parse("""
            controlPlane: { adminToken: "0123456789abcdef" }
            identity: { oidc: [ { issuer: "https://issuer.example", audiences: [mandate] } ] }
            policies: { directory: policies }
            upstreams: { api: { url: "http://127.0.0.1:1" } }
            routes:
              - { method: GET, path: /healthz, action: read, resource: { type: T, id: x }, upstream: api }
              - { method: GET, path: /t, action: read, resource: { type: T, id: x, attributes: { owner: ~, tags: [a, null] } }, upstream: api }
            """);

        Assert.Contains(result.Problems, p => p.Path == "routes[0].path" && p.Message.Contains("reserved"));
        Assert.Contains(result.Problems, p => p.Path == "routes[1].resource.attributes.owner" && p.Line == 7);
        Assert.Contains(result.Problems, p => p.Path == "routes[1].resource.attributes.tags");
        Assert.Equal(3, result.Problems.Count);
    }

    [Fact]
    public void Parse_ArgsAndClaimsToContext_ValidatedWithPaths()
    {
        var result = Parse("""
            controlPlane: { adminToken: "0123456789abcdef" }
            identity: { oidc: [ { issuer: "https://issuer.example", audiences: [mandate], claimsToContext: [dept, "", dept] } ] }
            policies: { directory: policies }
            upstreams: { api: { url: "http://127.0.0.1:1" } }
            routes:
              - { method: POST, path: /a, action: pay, resource: { type: T, id: x }, upstream: api, args: xml }
              - { method: POST, path: /b, action: pay, resource: { type: T, id: x }, upstream: api, args: json, argsMaxBytes: 99999999 }
              - { method: POST, path: /c, action: pay, resource: { type: T, id: x }, upstream: api, argsMaxBytes: 10 }
            """);

        Assert.Contains(result.Problems, p => p.Path == "identity.oidc[0].claimsToContext[1]");
        Assert.Contains(result.Problems, p => p.Path == "identity.oidc[0].claimsToContext" && p.Message.Contains("`dept` is named twice"));
        Assert.Contains(result.Problems, p => p.Path == "routes[0].args" && p.Line == 6);
        Assert.Contains(result.Problems, p => p.Path == "routes[1].argsMaxBytes");
        Assert.Contains(result.Problems, p => p.Path == "routes[2].argsMaxBytes" && p.Message.Contains("args: json"));
        Assert.Equal(5, result.Problems.Count);
    }

    [Fact]
    public void Parse_ArgsJson_DefaultsCapAndKeepsClaims()
    {
        var result = Parse("""
            controlPlane: { adminToken: "0123456789abcdef" }
            identity: { oidc: [ { issuer: "https://issuer.example", audiences: [mandate], claimsToContext: [dept, groups] } ] }
            policies: { directory: policies }
            upstreams: { api: { url: "http://127.0.0.1:1" } }
            routes:
              - { method: POST, path: /a, action: pay, resource: { type: T, id: x }, upstream: api, args: json }
            """);

        Assert.True(result.Succeeded, string.Join("\n", result.Problems));
        Assert.Equal(["dept", "groups"], result.Config!.Identity.Oidc[0].ClaimsToContext);
        var route = Assert.Single(result.Config.Routes);
        Assert.Equal((Mandate.Server.Configuration.RouteArgs.Json, 65536), (route.Args, route.ArgsMaxBytes));
    }

    [Fact]
    public void Parse_InvalidYaml_ReportsLine()
    {
        var result = Parse("dataPlane:\n  listen: [unclosed\n");

        var problem = Assert.Single(result.Problems);
        Assert.Contains("not valid yaml", problem.Message);
        Assert.NotNull(problem.Line);
    }

    [Fact]
    public void Parse_MinimalFile_AppliesDocumentedDefaults()
    {
        var result = Parse("""
            controlPlane: { adminToken: "0123456789abcdef" }
            identity: { oidc: [ { issuer: "https://issuer.example", audiences: [mandate] } ] }
            policies: { directory: policies }
            """);

        Assert.True(result.Succeeded, string.Join("\n", result.Problems));
        var c = result.Config!;
        Assert.Equal("127.0.0.1:8080", c.DataPlane.Listen.ToString());
        Assert.Equal("127.0.0.1:8081", c.ControlPlane.Listen.ToString());
        Assert.Equal(Path.Combine(_dir, "data"), c.DataDir);
        Assert.Equal("Mandate", c.Policies.Namespace);
        Assert.Equal(new Uri("https://issuer.example/.well-known/openid-configuration"), c.Identity.Oidc[0].DiscoveryUrl);
        Assert.Equal(["ES256", "RS256", "PS256", "EdDSA"], c.Identity.Oidc[0].Algorithms);
        Assert.Equal((1000, 60), (c.Audit.CheckpointEvery, c.Audit.CheckpointSeconds));
        Assert.Empty(c.Routes);
        Assert.DoesNotContain("0123456789abcdef", c.ControlPlane.ToString());
    }

    [Fact]
    public void Parse_AdminTokenFile_ReadAndTrimmed()
    {
        File.WriteAllText(Path.Combine(_dir, "admin.token"), "file-admin-token-0123456789\n");
        var result = Parse("""
            controlPlane: { adminTokenFile: admin.token }
            identity: { oidc: [ { issuer: "https://issuer.example", audiences: [mandate] } ] }
            policies: { directory: policies }
            """);

        Assert.True(result.Succeeded, string.Join("\n", result.Problems));
        Assert.Equal("file-admin-token-0123456789", result.Config!.ControlPlane.AdminToken);
    }

    [Fact]
    public void Parse_CredentialMapping_DefaultsHeaderAndFormat()
    {
        var result = Parse("""
            controlPlane: { adminToken: "0123456789abcdef" }
            identity: { oidc: [ { issuer: "https://issuer.example", audiences: [mandate] } ] }
            policies: { directory: policies }
            upstreams:
              a: { url: "http://127.0.0.1:1", credential: none }
              b: { url: "http://127.0.0.1:2", credential: { vault: b-key } }
              c: { url: "http://127.0.0.1:3", credential: { vault: c-key, header: X-Api-Key, format: "Key {secret}" } }
              d: { url: "http://127.0.0.1:4", credential: { header: "bad header", format: "no placeholder" } }
            """);

        Assert.Contains(result.Problems, p => p.Path == "upstreams.d.credential.vault" && p.Line == 8);
        Assert.Contains(result.Problems, p => p.Path == "upstreams.d.credential.header");
        Assert.Contains(result.Problems, p => p.Path == "upstreams.d.credential.format");
        Assert.Equal(3, result.Problems.Count);
    }
}
