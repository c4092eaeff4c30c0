using YamlDotNet.Serialization;

namespace Mandate.Server.Configuration;

#pragma warning disable CS1591 // DTO members are documented in docs/mcp.md

/// <summary><c>mcp</c> as parsed, before validation.</summary>
public sealed class McpDocument
{
    [YamlMember(Alias = "servers")] public Dictionary<string, McpServerDocument?>? Servers { get; set; }
    [YamlMember(Alias = "maxRequestBytes")] public string? MaxRequestBytes { get; set; }
    [YamlMember(Alias = "authorizationServers")] public List<string?>? AuthorizationServers { get; set; }
    [YamlMember(Alias = "publicBaseUrl")] public string? PublicBaseUrl { get; set; }
}

/// <summary><c>mcp.servers.NAME</c> as parsed.</summary>
public sealed class McpServerDocument
{
    [YamlMember(Alias = "url")] public string? Url { get; set; }
    [YamlMember(Alias = "command")] public List<string?>? Command { get; set; }
    [YamlMember(Alias = "path")] public string? Path { get; set; }
    [YamlMember(Alias = "credential")] public object? Credential { get; set; }
    [YamlMember(Alias = "pinning")] public string? Pinning { get; set; }
    [YamlMember(Alias = "allowedOrigins")] public List<string?>? AllowedOrigins { get; set; }
    [YamlMember(Alias = "timeoutSeconds")] public string? TimeoutSeconds { get; set; }
    [YamlMember(Alias = "protocol")] public string? Protocol { get; set; }
    [YamlMember(Alias = "tools")] public Dictionary<string, McpToolDocument?>? Tools { get; set; }
}

/// <summary><c>mcp.servers.NAME.tools.TOOL</c> as parsed.</summary>
public sealed class McpToolDocument
{
    [YamlMember(Alias = "labels")] public List<string?>? Labels { get; set; }
    [YamlMember(Alias = "write")] public string? Write { get; set; }
    [YamlMember(Alias = "approvalExpirySeconds")] public string? ApprovalExpirySeconds { get; set; }
    [YamlMember(Alias = "durability")] public string? Durability { get; set; }
}
#pragma warning restore CS1591
