using Mandate.Core.Decisions;
using Mandate.Server.Paths;
using Mandate.Server.Routing;
using Mandate.Server.Snapshots;

namespace Mandate.Server.Pipeline;

/// <summary>
/// Per-request state carried between the pipeline's steps as an <c>HttpContext</c> feature. Each step
/// fills its own part; a later step only reads what earlier steps set.
/// </summary>
public sealed class GatewayExchange
{
    /// <summary>Creates the state for one request.</summary>
    public GatewayExchange(string decisionId, GatewaySnapshot snapshot, string clientIp, DateTimeOffset startedAt, string rawTarget)
    {
        DecisionId = decisionId;
        Snapshot = snapshot;
        ClientIp = clientIp;
        StartedAt = startedAt;
        RawTarget = rawTarget;
    }

    /// <summary>Unique id of this request's decision.</summary>
    public string DecisionId { get; }

    /// <summary>The snapshot this request is decided with (read once at entry).</summary>
    public GatewaySnapshot Snapshot { get; }

    /// <summary>Client address as Mandate determined it.</summary>
    public string ClientIp { get; }

    /// <summary>When the request entered the gateway.</summary>
    public DateTimeOffset StartedAt { get; }

    /// <summary>The request target exactly as received.</summary>
    public string RawTarget { get; }

    /// <summary>Set by the canonicalize step.</summary>
    public CanonicalPath? Path { get; set; }

    /// <summary>Set by the identify step.</summary>
    public CallerIdentity? Caller { get; set; }

    /// <summary>Set by the identify step when the caller presented a Mandate task token.</summary>
    public Mandate.Core.Tokens.TaskTokenPrincipal? TaskToken { get; set; }

    /// <summary>Set by the classify step.</summary>
    public RouteMatch? Match { get; set; }

    /// <summary>Set by the contextualise step.</summary>
    public DecisionContext? Context { get; set; }

    /// <summary>Set by the decide step.</summary>
    public GatewayDecision? Decision { get; set; }

    /// <summary>True once a decision record for this request is durable (or was attempted for a refusal).</summary>
    public bool Recorded { get; set; }
}
