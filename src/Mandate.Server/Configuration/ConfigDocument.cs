using YamlDotNet.Serialization;

namespace Mandate.Server.Configuration;

// The shape of mandate.yaml as YamlDotNet reads it: mutable, nullable, unvalidated. Kept in one
// file because these classes are only a parsing step; MandateConfigValidator turns them into the
// immutable records the server uses. Property aliases are the YAML keys (camelCase).
#pragma warning disable CS1591 // DTO members are documented in docs/configuration.md

/// <summary>The root of <c>mandate.yaml</c> as parsed, before validation.</summary>
public sealed class ConfigDocument
{
    [YamlMember(Alias = "dataPlane")] public DataPlaneDocument? DataPlane { get; set; }
    [YamlMember(Alias = "controlPlane")] public ControlPlaneDocument? ControlPlane { get; set; }
    [YamlMember(Alias = "dataDir")] public string? DataDir { get; set; }
    [YamlMember(Alias = "identity")] public IdentityDocument? Identity { get; set; }
    [YamlMember(Alias = "policies")] public PoliciesDocument? Policies { get; set; }
    [YamlMember(Alias = "entities")] public EntitiesDocument? Entities { get; set; }
    [YamlMember(Alias = "agents")] public Dictionary<string, AgentDocument?>? Agents { get; set; }
    [YamlMember(Alias = "upstreams")] public Dictionary<string, UpstreamDocument?>? Upstreams { get; set; }
    [YamlMember(Alias = "routes")] public List<RouteDocument?>? Routes { get; set; }
    [YamlMember(Alias = "audit")] public AuditDocument? Audit { get; set; }
    [YamlMember(Alias = "trustedProxies")] public List<string?>? TrustedProxies { get; set; }
    [YamlMember(Alias = "vault")] public VaultDocument? Vault { get; set; }
    [YamlMember(Alias = "mcp")] public McpDocument? Mcp { get; set; }
    [YamlMember(Alias = "tokens")] public TokensDocument? Tokens { get; set; }
    [YamlMember(Alias = "decisionApis")] public DecisionApisDocument? DecisionApis { get; set; }
    [YamlMember(Alias = "approvals")] public ApprovalsDocument? Approvals { get; set; }
    [YamlMember(Alias = "observability")] public ObservabilityDocument? Observability { get; set; }
}

/// <summary><c>approvals</c>.</summary>
public sealed class ApprovalsDocument
{
    [YamlMember(Alias = "expirySeconds")] public string? ExpirySeconds { get; set; }
    [YamlMember(Alias = "linkBase")] public string? LinkBase { get; set; }
    [YamlMember(Alias = "webhook")] public WebhookDocument? Webhook { get; set; }
    [YamlMember(Alias = "approvers")] public List<ApproverDocument?>? Approvers { get; set; }
    [YamlMember(Alias = "allowSelfApproval")] public string? AllowSelfApproval { get; set; }
}

/// <summary><c>approvals.webhook</c>.</summary>
public sealed class WebhookDocument
{
    [YamlMember(Alias = "url")] public string? Url { get; set; }
    [YamlMember(Alias = "secretFile")] public string? SecretFile { get; set; }
}

/// <summary><c>approvals.approvers[i]</c>.</summary>
public sealed class ApproverDocument
{
    [YamlMember(Alias = "id")] public string? Id { get; set; }
    [YamlMember(Alias = "tokenFile")] public string? TokenFile { get; set; }
}

/// <summary><c>routes[i].approval</c> and the approval settings of a tool.</summary>
public sealed class RouteApprovalDocument
{
    [YamlMember(Alias = "expirySeconds")] public string? ExpirySeconds { get; set; }
    [YamlMember(Alias = "waitSeconds")] public string? WaitSeconds { get; set; }
}

/// <summary><c>vault</c>.</summary>
public sealed class VaultDocument
{
    [YamlMember(Alias = "keyFile")] public string? KeyFile { get; set; }
}

/// <summary><c>dataPlane</c>.</summary>
public sealed class DataPlaneDocument
{
    [YamlMember(Alias = "listen")] public string? Listen { get; set; }
    [YamlMember(Alias = "tls")] public TlsDocument? Tls { get; set; }
}

/// <summary><c>dataPlane.tls</c>.</summary>
public sealed class TlsDocument
{
    [YamlMember(Alias = "certificate")] public string? Certificate { get; set; }
    [YamlMember(Alias = "key")] public string? Key { get; set; }
    [YamlMember(Alias = "clientCertificates")] public string? ClientCertificates { get; set; }
}

/// <summary><c>controlPlane</c>.</summary>
public sealed class ControlPlaneDocument
{
    [YamlMember(Alias = "listen")] public string? Listen { get; set; }
    [YamlMember(Alias = "adminToken")] public string? AdminToken { get; set; }
    [YamlMember(Alias = "adminTokenFile")] public string? AdminTokenFile { get; set; }
}

/// <summary><c>identity</c>.</summary>
public sealed class IdentityDocument
{
    [YamlMember(Alias = "oidc")] public List<OidcIssuerDocument?>? Oidc { get; set; }
    [YamlMember(Alias = "spiffe")] public List<SpiffeDocument?>? Spiffe { get; set; }
}

/// <summary><c>identity.oidc[i]</c>.</summary>
public sealed class OidcIssuerDocument
{
    [YamlMember(Alias = "issuer")] public string? Issuer { get; set; }
    [YamlMember(Alias = "audiences")] public List<string?>? Audiences { get; set; }
    [YamlMember(Alias = "discoveryUrl")] public string? DiscoveryUrl { get; set; }
    [YamlMember(Alias = "jwksUrl")] public string? JwksUrl { get; set; }
    [YamlMember(Alias = "algorithms")] public List<string?>? Algorithms { get; set; }
    [YamlMember(Alias = "agentClaim")] public string? AgentClaim { get; set; }
    [YamlMember(Alias = "maxStalenessSeconds")] public string? MaxStalenessSeconds { get; set; }
    [YamlMember(Alias = "clockSkewSeconds")] public string? ClockSkewSeconds { get; set; }
    [YamlMember(Alias = "claimsToContext")] public List<string?>? ClaimsToContext { get; set; }
}

/// <summary><c>identity.spiffe[i]</c>.</summary>
public sealed class SpiffeDocument
{
    [YamlMember(Alias = "trustDomain")] public string? TrustDomain { get; set; }
    [YamlMember(Alias = "bundleFile")] public string? BundleFile { get; set; }
    [YamlMember(Alias = "bundleUrl")] public string? BundleUrl { get; set; }
    [YamlMember(Alias = "audience")] public string? Audience { get; set; }
    [YamlMember(Alias = "x509Bundle")] public string? X509Bundle { get; set; }
    [YamlMember(Alias = "claimsToContext")] public List<string?>? ClaimsToContext { get; set; }
}

/// <summary><c>policies</c>.</summary>
public sealed class PoliciesDocument
{
    [YamlMember(Alias = "directory")] public string? Directory { get; set; }
    [YamlMember(Alias = "schema")] public string? Schema { get; set; }
    [YamlMember(Alias = "namespace")] public string? Namespace { get; set; }
    [YamlMember(Alias = "shadow")] public string? Shadow { get; set; }
}

/// <summary><c>entities</c>.</summary>
public sealed class EntitiesDocument
{
    [YamlMember(Alias = "file")] public string? File { get; set; }
}

/// <summary><c>agents.NAME</c>.</summary>
public sealed class AgentDocument
{
    [YamlMember(Alias = "parents")] public List<EntityDocument?>? Parents { get; set; }
    [YamlMember(Alias = "attributes")] public Dictionary<string, object?>? Attributes { get; set; }
}

/// <summary>An entity reference <c>{type, id}</c>.</summary>
public sealed class EntityDocument
{
    [YamlMember(Alias = "type")] public string? Type { get; set; }
    [YamlMember(Alias = "id")] public string? Id { get; set; }
}

/// <summary><c>upstreams.NAME</c>.</summary>
public sealed class UpstreamDocument
{
    [YamlMember(Alias = "url")] public string? Url { get; set; }
    [YamlMember(Alias = "credential")] public object? Credential { get; set; }
    [YamlMember(Alias = "timeoutSeconds")] public string? TimeoutSeconds { get; set; }
    [YamlMember(Alias = "requestHeaders")] public List<string?>? RequestHeaders { get; set; }
}

/// <summary><c>routes[i]</c>.</summary>
public sealed class RouteDocument
{
    [YamlMember(Alias = "method")] public string? Method { get; set; }
    [YamlMember(Alias = "path")] public string? Path { get; set; }
    [YamlMember(Alias = "action")] public string? Action { get; set; }
    [YamlMember(Alias = "resource")] public ResourceDocument? Resource { get; set; }
    [YamlMember(Alias = "upstream")] public string? Upstream { get; set; }
    [YamlMember(Alias = "args")] public string? Args { get; set; }
    [YamlMember(Alias = "argsMaxBytes")] public string? ArgsMaxBytes { get; set; }
    [YamlMember(Alias = "labels")] public List<string?>? Labels { get; set; }
    [YamlMember(Alias = "write")] public string? Write { get; set; }
    [YamlMember(Alias = "approval")] public RouteApprovalDocument? Approval { get; set; }
    [YamlMember(Alias = "requestHeaders")] public List<string?>? RequestHeaders { get; set; }
    [YamlMember(Alias = "nonAscii")] public string? NonAscii { get; set; }
    [YamlMember(Alias = "dpop")] public string? Dpop { get; set; }
    [YamlMember(Alias = "durability")] public string? Durability { get; set; }
}

/// <summary><c>routes[i].resource</c>.</summary>
public sealed class ResourceDocument
{
    [YamlMember(Alias = "type")] public string? Type { get; set; }
    [YamlMember(Alias = "id")] public string? Id { get; set; }
    [YamlMember(Alias = "parents")] public List<EntityDocument?>? Parents { get; set; }
    [YamlMember(Alias = "attributes")] public Dictionary<string, object?>? Attributes { get; set; }
}

/// <summary><c>audit</c>.</summary>
public sealed class AuditDocument
{
    [YamlMember(Alias = "checkpointEvery")] public string? CheckpointEvery { get; set; }
    [YamlMember(Alias = "checkpointSeconds")] public string? CheckpointSeconds { get; set; }
    [YamlMember(Alias = "durability")] public string? Durability { get; set; }
    [YamlMember(Alias = "syncIntervalMs")] public string? SyncIntervalMs { get; set; }
    [YamlMember(Alias = "segmentMiB")] public string? SegmentMiB { get; set; }
}
/// <summary><c>observability</c>.</summary>
public sealed class ObservabilityDocument
{
    [YamlMember(Alias = "serviceName")] public string? ServiceName { get; set; }
    [YamlMember(Alias = "otlp")] public OtlpDocument? Otlp { get; set; }
    [YamlMember(Alias = "traces")] public TracesDocument? Traces { get; set; }
    [YamlMember(Alias = "metrics")] public MetricsDocument? Metrics { get; set; }
}

/// <summary><c>observability.otlp</c>.</summary>
public sealed class OtlpDocument
{
    [YamlMember(Alias = "endpoint")] public string? Endpoint { get; set; }
    [YamlMember(Alias = "protocol")] public string? Protocol { get; set; }
    [YamlMember(Alias = "timeoutSeconds")] public string? TimeoutSeconds { get; set; }
}

/// <summary><c>observability.traces</c>.</summary>
public sealed class TracesDocument
{
    [YamlMember(Alias = "enabled")] public string? Enabled { get; set; }
    [YamlMember(Alias = "sampleRatio")] public string? SampleRatio { get; set; }
    [YamlMember(Alias = "acceptParentFrom")] public List<string?>? AcceptParentFrom { get; set; }
}

/// <summary><c>observability.metrics</c>.</summary>
public sealed class MetricsDocument
{
    [YamlMember(Alias = "enabled")] public string? Enabled { get; set; }
    [YamlMember(Alias = "otlpIntervalSeconds")] public string? OtlpIntervalSeconds { get; set; }
    [YamlMember(Alias = "prometheus")] public string? Prometheus { get; set; }
    [YamlMember(Alias = "scrapeTokenFile")] public string? ScrapeTokenFile { get; set; }
}
#pragma warning restore CS1591
