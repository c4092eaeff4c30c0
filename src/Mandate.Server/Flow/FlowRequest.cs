using Mandate.Core.Decisions;
using Mandate.Server.Flow.Identify;
using Mandate.Server.Snapshots;

namespace Mandate.Server.Flow;

/// <summary>
/// One request as it enters the flow, whatever its front: its decision id, the snapshot it is decided with (read
/// once, so a reload never mixes two versions within a request), the request facts, and — once resolved — the caller.
/// Fronts fill the caller and the canonical path; the flow only reads.
/// </summary>
public sealed class FlowRequest
{
    /// <summary>Creates the state of one request.</summary>
    public FlowRequest(Front front, string decisionId, GatewaySnapshot snapshot, RequestFacts facts, DateTimeOffset startedAt)
    {
        Front = front;
        DecisionId = decisionId;
        Snapshot = snapshot;
        Facts = facts;
        StartedAt = startedAt;
    }

    /// <summary>The front the request came through (the HTTP front hands a request for an MCP endpoint to the MCP front).</summary>
    public Front Front { get; set; }

    /// <summary>The decision id of the request (an MCP batch gives its further messages ids of their own).</summary>
    public string DecisionId { get; private set; }

    /// <summary>
    /// Starts a second decision for the same request (a call held open until a person approved it is decided again):
    /// a new decision id, not yet recorded.
    /// </summary>
    public string NextDecision()
    {
        DecisionId = Mandate.Core.Decisions.DecisionIds.New();
        Recorded = false;
        return DecisionId;
    }

    /// <summary>The snapshot this request is decided with.</summary>
    public GatewaySnapshot Snapshot { get; }

    /// <summary>Method, path (canonical once known, else the raw target), client address, host.</summary>
    public RequestFacts Facts { get; set; }

    /// <summary>When the request entered the gateway.</summary>
    public DateTimeOffset StartedAt { get; }

    /// <summary>The verified caller, once resolved.</summary>
    public ResolvedCaller? Caller { get; set; }

    /// <summary>The scheme the client used (<c>http</c> or <c>https</c>), for URLs Mandate gives back (an approval's status URL).</summary>
    public string? Scheme { get; init; }

    /// <summary>The connection the request came on (<c>address:port id</c>), when a record needs it (requests the HTTP
    /// server refused before any step ran); null otherwise.</summary>
    public string? Connection { get; init; }

    /// <summary>The request's root span and end-to-end timing, while observability is on; null otherwise.</summary>
    public Mandate.Server.Telemetry.RequestTelemetry? Telemetry { get; init; }

    /// <summary>True once the decision record of <see cref="DecisionId"/> was written (or attempted, for a refusal).</summary>
    public bool Recorded { get; set; }
}
