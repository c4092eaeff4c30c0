using YamlDotNet.Serialization;

namespace Mandate.Server.Configuration;

#pragma warning disable CS1591 // DTO members are documented in docs/configuration.md

/// <summary><c>tokens</c> as parsed.</summary>
public sealed class TokensDocument
{
    [YamlMember(Alias = "issuer")] public string? Issuer { get; set; }
    [YamlMember(Alias = "defaultLifetimeSeconds")] public string? DefaultLifetimeSeconds { get; set; }
    [YamlMember(Alias = "maxLifetimeSeconds")] public string? MaxLifetimeSeconds { get; set; }
    [YamlMember(Alias = "maxDepth")] public string? MaxDepth { get; set; }
    [YamlMember(Alias = "audiences")] public List<string?>? Audiences { get; set; }
    [YamlMember(Alias = "subjectIssuers")] public List<SubjectIssuerDocument?>? SubjectIssuers { get; set; }
    [YamlMember(Alias = "outOfTask")] public string? OutOfTask { get; set; }
    [YamlMember(Alias = "dpop")] public string? Dpop { get; set; }
}

/// <summary><c>tokens.subjectIssuers[i]</c> as parsed.</summary>
public sealed class SubjectIssuerDocument
{
    [YamlMember(Alias = "issuer")] public string? Issuer { get; set; }
    [YamlMember(Alias = "audience")] public string? Audience { get; set; }
    [YamlMember(Alias = "jwksUrl")] public string? JwksUrl { get; set; }
}
#pragma warning restore CS1591
