using Mandate.Server.Configuration;
using Mandate.Server.Paths;
using Mandate.Server.Routing;

namespace Mandate.Server.Tests.Routing;

public sealed class RouteTableTests
{
    private static RouteTable Table(string yamlRoutes)
    {
        var dir = Path.Combine(Path.GetTempPath(), "mandate-rt-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Path.Combine(dir, "p"));
        try
        {
            var text = $$"""
                controlPlane: { adminToken: "0123456789abcdef0123" }
                identity: { oidc: [ { issuer: "https://issuer.example", audiences: [m] } ] }
                policies: { directory: p }
                upstreams: { api: { url: "http://127.0.0.1:9" } }
                routes:
                {{yamlRoutes}}
                """;
            var loaded = MandateConfigLoader.Parse(text, Path.Combine(dir, "mandate.yaml"));
            Assert.True(loaded.Succeeded, string.Join("\n", loaded.Problems));
            return new RouteTable(loaded.Config!.Routes);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    private static RouteMatch? Resolve(RouteTable table, string method, string path, out bool known) =>
        table.Resolve(method, CanonicalPath.Parse(path).Path!, out known);

    [Fact]
    public void Resolve_LiteralAndParameter_LiteralWinsWhateverTheOrder()
    {
        var table = Table("""
              - { method: GET, path: "/t/{id}", action: read, resource: { type: T, id: "{id}" }, upstream: api }
              - { method: GET, path: "/t/export", action: export, resource: { type: Api, id: t }, upstream: api }
            """);

        Assert.Equal("export", Resolve(table, "GET", "/t/export", out _)!.Route.Action.Id);
        Assert.Equal("read", Resolve(table, "GET", "/t/1", out _)!.Route.Action.Id);
    }

    [Fact]
    public void Resolve_ParameterAndCatchAll_ParameterWins()
    {
        var table = Table("""
              - { method: GET, path: "/f/{*rest}", action: any, resource: { type: F, id: "{rest}" }, upstream: api }
              - { method: GET, path: "/f/{name}", action: one, resource: { type: F, id: "{name}" }, upstream: api }
            """);

        Assert.Equal("one", Resolve(table, "GET", "/f/a", out _)!.Route.Action.Id);
        var deep = Resolve(table, "GET", "/f/a/b%20c", out _)!;
        Assert.Equal("any", deep.Route.Action.Id);
        Assert.Equal("a/b c", deep.Resource.Entity.Id);
    }

    [Fact]
    public void Resolve_ResourceTemplate_FillsIdAndParentsAndQualifiesTypes()
    {
        var table = Table("""
              - method: GET
                path: "/orgs/{org}/tickets/{id}"
                action: read
                resource: { type: Ticket, id: "{org}-{id}", parents: [ { type: Org, id: "{org}" } ], attributes: { sensitivity: 3, public: false, label: "x" } }
                upstream: api
            """);

        var match = Resolve(table, "GET", "/orgs/acme/tickets/7", out _)!;
        Assert.Equal("Mandate::Ticket::\"acme-7\"", match.Resource.Entity.ToString());
        Assert.Equal("Mandate::Org::\"acme\"", Assert.Single(match.Resource.Parents).ToString());
        Assert.Equal("Mandate::Action::\"read\"", match.Route.Action.ToString());
        Assert.Equal(System.Text.Json.JsonValueKind.Number, match.Resource.Attributes["sensitivity"].ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.False, match.Resource.Attributes["public"].ValueKind);
    }

    [Fact]
    public void Resolve_MethodMismatch_NullButPathKnown()
    {
        var table = Table("""
              - { method: GET, path: "/t/{id}", action: read, resource: { type: T, id: "{id}" }, upstream: api }
            """);

        Assert.Null(Resolve(table, "POST", "/t/1", out var known));
        Assert.True(known);
        Assert.Null(Resolve(table, "GET", "/u/1", out known));
        Assert.False(known);
        Assert.Null(Resolve(table, "GET", "/t/1/x", out known));
        Assert.False(known);
    }

    [Fact]
    public void Resolve_ExactMethod_BeatsWildcardMethod()
    {
        var table = Table("""
              - { method: "*", path: "/t/{id}", action: any, resource: { type: T, id: "{id}" }, upstream: api }
              - { method: GET, path: "/t/{id}", action: read, resource: { type: T, id: "{id}" }, upstream: api }
            """);

        Assert.Equal("read", Resolve(table, "GET", "/t/1", out _)!.Route.Action.Id);
        Assert.Equal("any", Resolve(table, "PATCH", "/t/1", out _)!.Route.Action.Id);
    }

    [Fact]
    public void Resolve_FullyQualifiedAction_KeptAsWritten()
    {
        var table = Table("""
              - { method: GET, path: "/t", action: 'Other::Action::"list"', resource: { type: "Other::T", id: all }, upstream: api }
            """);

        var match = Resolve(table, "GET", "/t", out _)!;
        Assert.Equal("Other::Action::\"list\"", match.Route.Action.ToString());
        Assert.Equal("Other::T::\"all\"", match.Resource.Entity.ToString());
    }
}
