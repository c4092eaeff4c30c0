using System.Net;
using Mandate.Core.Decisions;

namespace Mandate.Server.Configuration;

/// <summary>The validated, immutable content of <c>mandate.yaml</c>. Every path in it is absolute.</summary>
/// <param name="SourcePath">The configuration file's absolute path.</param>
/// <param name="DataPlane">Where agents connect.</param>
/// <param name="ControlPlane">Where administrators connect.</param>
/// <param name="DataDir">Directory for the audit log, vault and state.</param>
/// <param name="Identity">Trusted issuers and trust domains.</param>
/// <param name="Policies">Where the Cedar policies and schema are.</param>
/// <param name="EntitiesFile">Cedar entities JSON file, if any.</param>
/// <param name="Agents">The agents registry.</param>
/// <param name="Upstreams">Upstreams by name.</param>
/// <param name="Routes">Routes in file order.</param>
/// <param name="Audit">Audit checkpoint settings.</param>
/// <param name="TrustedProxies">Peers whose <c>X-Forwarded-For</c> is believed.</param>
/// <param name="VaultKeyFile">File holding the vault's master key; null to read it from <c>MANDATE_VAULT_KEY</c>.</param>
public sealed record MandateConfig(
    string SourcePath,
    DataPlaneConfig DataPlane,
    ControlPlaneConfig ControlPlane,
    string DataDir,
    IdentityConfig Identity,
    PolicyConfig Policies,
    string? EntitiesFile,
    IReadOnlyList<AgentRecord> Agents,
    IReadOnlyDictionary<string, UpstreamConfig> Upstreams,
    IReadOnlyList<RouteConfig> Routes,
    AuditConfig Audit,
    IReadOnlyList<IPNetwork> TrustedProxies,
    string? VaultKeyFile)
{
    /// <summary>MCP servers fronted on the data plane (<c>mcp</c>); empty when the section is absent.</summary>
    public McpConfig Mcp { get; init; } = McpConfig.Empty;
    /// <summary>The <c>tokens</c> section: Mandate as issuer of task tokens; null when the section is absent.</summary>
    public TokensConfig? Tokens { get; init; }

    /// <summary>The <c>approvals</c> section: step-up approvals (defaults when absent).</summary>
    public ApprovalsConfig Approvals { get; init; } = ApprovalsConfig.Default;

    /// <summary>The <c>decisionApis</c> section: AuthZEN, Envoy ext_authz and nginx auth_request fronts; all off when absent.</summary>
    public DecisionApisConfig DecisionApis { get; init; } = DecisionApisConfig.Empty;

    /// <summary>The <c>observability</c> section: OpenTelemetry traces and metrics; off when absent.</summary>
    public ObservabilityConfig Observability { get; init; } = ObservabilityConfig.Off;
}
