using Mandate.Core.Audit;
using Mandate.Server.Configuration;

namespace Mandate.Server.Tests.Configuration;

/// <summary>The audit durability class: <c>audit.durability</c>, <c>routes[].durability</c>, an MCP tool's <c>durability</c>.</summary>
public sealed class AuditDurabilityConfigTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "mandate-cfg-" + Guid.NewGuid().ToString("N")[..8]);

    public AuditDurabilityConfigTests() => Directory.CreateDirectory(Path.Combine(_dir, "policies"));

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private ConfigLoadResult Parse(string routeExtra, string audit = "", string tool = "") => MandateConfigLoader.Parse($$"""
        controlPlane: { adminToken: "0123456789abcdef" }
        identity: { oidc: [ { issuer: "https://issuer.example", audiences: [mandate] } ] }
        policies: { directory: policies }
        {{audit}}
        upstreams:
          api: { url: "http://127.0.0.1:1" }
        mcp:
          servers:
            docs: { url: "http://127.0.0.1:2/mcp", tools: { transfer: { write: true{{tool}} } } }
        routes:
          - { method: GET, path: "/t/{id}", action: read, resource: { type: T, id: "{id}" }, upstream: api{{routeExtra}} }
        """, Path.Combine(_dir, "mandate.yaml"));

    [Fact]
    public void Parse_NothingSaid_ProcessCrashEverywhere()
    {
        var result = Parse("");

        Assert.True(result.Succeeded, string.Join("\n", result.Problems));
        Assert.Equal(AuditDurability.ProcessCrash, result.Config!.Audit.Durability);
        Assert.Equal(AuditDurability.ProcessCrash, Assert.Single(result.Config.Routes).Durability);
        Assert.Equal(TimeSpan.FromSeconds(1), result.Config.Audit.SyncInterval);
        Assert.Equal(64L << 20, result.Config.Audit.SegmentBytes);
    }

    [Fact]
    public void Parse_HighRiskRouteToolAndDefault_ArePowerLoss()
    {
        var result = Parse(", durability: power_loss", "audit: { durability: power_loss, syncIntervalMs: 200, segmentMiB: 8 }", ", durability: power_loss");

        Assert.True(result.Succeeded, string.Join("\n", result.Problems));
        Assert.Equal(AuditDurability.PowerLoss, result.Config!.Audit.Durability);
        Assert.Equal(AuditDurability.PowerLoss, Assert.Single(result.Config.Routes).Durability);
        Assert.Equal(AuditDurability.PowerLoss, result.Config.Mcp.Servers["docs"].Tools["transfer"].Durability);
        Assert.Equal(TimeSpan.FromMilliseconds(200), result.Config.Audit.SyncInterval);
        Assert.Equal(8L << 20, result.Config.Audit.SegmentBytes);
    }

    [Fact]
    public void Parse_UnknownClass_IsAProblemWithItsPath()
    {
        var result = Parse(", durability: fsync", "audit: { durability: maybe }", ", durability: disk");

        Assert.False(result.Succeeded);
        Assert.Contains(result.Problems, p => p.Path == "routes[0].durability" && p.Message.Contains("power_loss", StringComparison.Ordinal));
        Assert.Contains(result.Problems, p => p.Path == "audit.durability");
        Assert.Contains(result.Problems, p => p.Path == "mcp.servers.docs.tools.transfer.durability");
    }
}
