using YamlDotNet.Serialization;

namespace Mandate.Server.Configuration;

#pragma warning disable CS1591 // DTO members are documented in docs/configuration.md

/// <summary><c>decisionApis</c> as parsed.</summary>
public sealed class DecisionApisDocument
{
    [YamlMember(Alias = "authzen")] public AuthZenDocument? AuthZen { get; set; }
    [YamlMember(Alias = "envoy")] public CheckFrontDocument? Envoy { get; set; }
    [YamlMember(Alias = "nginx")] public CheckFrontDocument? Nginx { get; set; }
}

/// <summary><c>decisionApis.authzen</c> as parsed.</summary>
public sealed class AuthZenDocument
{
    [YamlMember(Alias = "clients")] public List<DecisionClientDocument?>? Clients { get; set; }
    [YamlMember(Alias = "types")] public Dictionary<string, string?>? Types { get; set; }
    [YamlMember(Alias = "pageSize")] public string? PageSize { get; set; }
    [YamlMember(Alias = "maxPageSize")] public string? MaxPageSize { get; set; }
    [YamlMember(Alias = "maxEvaluations")] public string? MaxEvaluations { get; set; }
    [YamlMember(Alias = "baseUrl")] public string? BaseUrl { get; set; }
}

/// <summary><c>decisionApis.authzen.clients[i]</c> as parsed.</summary>
public sealed class DecisionClientDocument
{
    [YamlMember(Alias = "name")] public string? Name { get; set; }
    [YamlMember(Alias = "agent")] public string? Agent { get; set; }
    [YamlMember(Alias = "apiKeySha256")] public string? ApiKeySha256 { get; set; }
    [YamlMember(Alias = "subjects")] public List<string?>? Subjects { get; set; }
}

/// <summary><c>decisionApis.envoy</c> / <c>decisionApis.nginx</c> as parsed.</summary>
public sealed class CheckFrontDocument
{
    [YamlMember(Alias = "path")] public string? Path { get; set; }
    [YamlMember(Alias = "peers")] public List<string?>? Peers { get; set; }
}
#pragma warning restore CS1591
