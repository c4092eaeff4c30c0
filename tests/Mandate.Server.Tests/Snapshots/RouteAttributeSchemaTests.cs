using System.Net;
using Mandate.Server.Tests.Support;

namespace Mandate.Server.Tests.Snapshots;

/// <summary>
/// Route resource attributes against the schema: an attribute the entity type does not declare, or of another
/// type (including an entity of an enumerated type whose id the schema does not list), is a configuration problem
/// named by its YAML path and line — at start-up and on reload (the running snapshot keeps serving).
/// </summary>
public sealed class RouteAttributeSchemaTests : IAsyncLifetime
{
    private const string ApiShape =
        "entity Color enum [\"Red\", \"Green\"]; entity Api = { sensitivity?: String, tier?: Long, labels?: Set<String>, color?: Color };";

    private readonly GatewayFixture _gw = new()
    {
        EditConfig = text => text.Replace(
            "resource: { type: Api, id: tickets }\n",
            "resource: { type: Api, id: tickets, attributes: { sensitivity: high, tier: 2, labels: [pii] } }\n"),
        PrepareFiles = dir => File.WriteAllTextAsync(Path.Combine(dir, "schema.cedarschema"), GatewayFiles.Schema.Replace("entity Api;", ApiShape)),
    };

    public Task InitializeAsync() => _gw.InitializeAsync();

    public Task DisposeAsync() => _gw.DisposeAsync();

    private string ConfigPath => Path.Combine(_gw.Directory, "mandate.yaml");

    private async Task<Mandate.Server.Snapshots.ReloadResult> ReloadWithAsync(string from, string to)
    {
        var text = await File.ReadAllTextAsync(ConfigPath);
        Assert.Contains(from, text);
        await File.WriteAllTextAsync(ConfigPath, text.Replace(from, to));
        return await _gw.Gateway.Server.ReloadAsync(CancellationToken.None);
    }

    private static int LineOf(string text, string needle) =>
        text[..text.IndexOf(needle, StringComparison.Ordinal)].Count(c => c == '\n') + 1;

    [Fact]
    public async Task Reload_AttributesMatchingSchema_Applies()
    {
        var result = await ReloadWithAsync("sensitivity: high", "sensitivity: low");

        Assert.True(result.Applied, string.Join("\n", result.Problems));
    }

    [Fact]
    public async Task Reload_UndeclaredAttribute_RefusedWithYamlPathAndLineAndOldSnapshotServes()
    {
        var before = _gw.Gateway.Server.Snapshots.Current.Version;

        var result = await ReloadWithAsync("tier: 2", "tier: 2, owner: bob");

        Assert.False(result.Applied);
        var problem = Assert.Single(result.Problems);
        var text = await File.ReadAllTextAsync(ConfigPath);
        Assert.Contains($"mandate.yaml:{LineOf(text, "owner: bob")}:", problem);
        Assert.Contains("routes[1].resource.attributes.owner", problem);
        Assert.Contains("has no attribute `owner`", problem);
        Assert.Equal(before, _gw.Gateway.Server.Snapshots.Current.Version);
        using var response = await _gw.GetAsync("/tickets/1", _gw.Issuer.Mint("reader-bot"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("tier: 2", "tier: \"2\"", "routes[1].resource.attributes.tier")]
    [InlineData("sensitivity: high", "sensitivity: 3", "routes[1].resource.attributes.sensitivity")]
    [InlineData("labels: [pii]", "labels: [pii, 7]", "routes[1].resource.attributes.labels")]
    [InlineData("labels: [pii]", "labels: { a: b }", "routes[1].resource.attributes.labels")]
    public async Task Reload_AttributeOfWrongType_Refused(string from, string to, string path)
    {
        var result = await ReloadWithAsync(from, to);

        Assert.False(result.Applied);
        var problem = Assert.Single(result.Problems);
        Assert.Contains(path, problem);
        Assert.Contains("does not match the schema", problem);
        Assert.Contains("(routes.schema)", problem);
    }

    [Fact]
    public async Task Reload_EnumEntityAttributeWithListedId_Applies()
    {
        var result = await ReloadWithAsync("labels: [pii]", "labels: [pii], color: { __entity: { type: \"Mandate::Color\", id: Red } }");

        Assert.True(result.Applied, string.Join("\n", result.Problems));
    }

    [Fact]
    public async Task Reload_EnumEntityAttributeWithUnlistedId_RefusedNamingTheValueAndType()
    {
        var result = await ReloadWithAsync("labels: [pii]", "labels: [pii], color: { __entity: { type: \"Mandate::Color\", id: Blue } }");

        Assert.False(result.Applied);
        var problem = Assert.Single(result.Problems);
        Assert.Contains("routes[1].resource.attributes.color", problem);
        Assert.Contains("does not match the schema's `Mandate::Api.color`", problem);
        Assert.Contains("`Mandate::Color::\"Blue\"` is not one of the values of enumerated entity type `Mandate::Color`", problem);
        Assert.Contains("(routes.schema)", problem);
    }
}
