using System.Net;

namespace Mandate.Server.Configuration;

/// <summary>
/// <c>decisionApis</c>: Mandate as the decision service of gateways and code that enforce for themselves. Each part is
/// off when absent.
/// </summary>
/// <param name="AuthZen">The OpenID AuthZEN Authorization API 1.0 endpoints (<c>/access/v1/…</c>), or null.</param>
/// <param name="Envoy">Envoy's ext_authz HTTP service check endpoint, or null.</param>
/// <param name="Nginx">nginx's <c>auth_request</c> check endpoint, or null.</param>
public sealed record DecisionApisConfig(AuthZenConfig? AuthZen, CheckFrontConfig? Envoy, CheckFrontConfig? Nginx)
{
    /// <summary>All decision APIs off.</summary>
    public static DecisionApisConfig Empty { get; } = new(null, null, null);
}

/// <summary><c>decisionApis.authzen</c>.</summary>
/// <param name="Clients">Who may ask (PEPs), and about which subjects.</param>
/// <param name="Types">AuthZEN entity type → fully qualified Cedar entity type.</param>
/// <param name="PageSize">Search results per page when the request names no limit (default 50).</param>
/// <param name="MaxPageSize">Largest page a request may ask for (default 1000).</param>
/// <param name="MaxEvaluations">Most evaluations in one <c>/access/v1/evaluations</c> request (default 1000).</param>
/// <param name="BaseUrl">The <c>policy_decision_point</c> of the metadata; null to take scheme and host from each request.</param>
public sealed record AuthZenConfig(
    IReadOnlyList<DecisionClientConfig> Clients,
    IReadOnlyDictionary<string, string> Types,
    int PageSize,
    int MaxPageSize,
    int MaxEvaluations,
    Uri? BaseUrl)
{
    /// <summary>The client a verified caller is: by API key name for <c>api_key</c> callers, else by agent id.</summary>
    public DecisionClientConfig? ClientFor(string agentId, string method)
    {
        foreach (var c in Clients)
        {
            var matches = method == DecisionClientConfig.ApiKeyMethod
                ? c.ApiKeySha256 is not null && string.Equals(c.Name, agentId, StringComparison.Ordinal)
                : c.Agent is not null && string.Equals(c.Agent, agentId, StringComparison.Ordinal);
            if (matches)
            {
                return c;
            }
        }

        return null;
    }
}

/// <summary><c>decisionApis.authzen.clients[i]</c>: one PEP, how it proves itself, and which subjects it may ask about.</summary>
/// <param name="Name">The client's name (the record's agent for an API-key client).</param>
/// <param name="Agent">The agent id a JWT or certificate of this client resolves to; null for an API-key client.</param>
/// <param name="ApiKeySha256">SHA-256 of the client's API key (the key itself is never stored); null for an agent client.</param>
/// <param name="Subjects">The subjects it may ask about; none matches → <c>authzen.subject_not_allowed</c>.</param>
public sealed record DecisionClientConfig(string Name, string? Agent, byte[]? ApiKeySha256, IReadOnlyList<SubjectScope> Subjects)
{
    /// <summary>The authentication method of a caller that presented an API key.</summary>
    public const string ApiKeyMethod = "api_key";

    /// <summary>True when the client may ask about <paramref name="type"/> (Cedar type) <paramref name="id"/>.</summary>
    public bool MayAskAbout(string type, string id)
    {
        foreach (var s in Subjects)
        {
            if (s.Matches(type, id))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>A subject pattern <c>type:id</c>: an AuthZEN type, and an id that is exact or ends in <c>*</c> (a prefix).</summary>
/// <param name="Text">As written, for messages.</param>
/// <param name="CedarType">The Cedar entity type the AuthZEN type maps to.</param>
/// <param name="IdPattern">The id, or a prefix followed by <c>*</c>.</param>
public sealed record SubjectScope(string Text, string CedarType, string IdPattern)
{
    /// <summary>True when the entity matches.</summary>
    public bool Matches(string type, string id) =>
        string.Equals(type, CedarType, StringComparison.Ordinal) &&
        (IdPattern.EndsWith('*')
            ? id.StartsWith(IdPattern[..^1], StringComparison.Ordinal)
            : string.Equals(id, IdPattern, StringComparison.Ordinal));
}

/// <summary><c>decisionApis.envoy</c> / <c>decisionApis.nginx</c>: a check endpoint a trusted proxy asks before forwarding.</summary>
/// <param name="Path">The endpoint's path (Envoy: the <c>path_prefix</c> the original path is appended to; nginx: the exact path).</param>
/// <param name="Peers">The proxies' addresses; a check from any other peer is refused (<c>check.untrusted_peer</c>).</param>
public sealed record CheckFrontConfig(string Path, IReadOnlyList<IPNetwork> Peers)
{
    /// <summary>True when <paramref name="peer"/> is one of <see cref="Peers"/>.</summary>
    public bool IsPeer(IPAddress peer)
    {
        var address = peer.IsIPv4MappedToIPv6 ? peer.MapToIPv4() : peer;
        foreach (var p in Peers)
        {
            if (p.Contains(address))
            {
                return true;
            }
        }

        return false;
    }
}
