using Mandate.Server.Flow;
using Mandate.Server.Paths;
using Mandate.Server.Routing;

namespace Mandate.Server.Fronts.Http;

/// <summary>
/// Per-request state of the HTTP front, carried between its steps as an <c>HttpContext</c> feature: the flow's
/// request, and what the front read off HTTP (the raw target, its canonical form, the route, the call). Each step
/// fills its own part; a later step only reads what earlier steps set. The MCP front starts from it too.
/// </summary>
public sealed class HttpRequestState
{
    /// <summary>Creates the state for one request.</summary>
    public HttpRequestState(FlowRequest flow, string rawTarget)
    {
        Flow = flow;
        RawTarget = rawTarget;
    }

    /// <summary>The request as the decision flow sees it (decision id, snapshot, facts, caller).</summary>
    public FlowRequest Flow { get; }

    /// <summary>The request target exactly as received.</summary>
    public string RawTarget { get; }

    /// <summary>Set by the canonicalize step.</summary>
    public CanonicalPath? Path { get; set; }

    /// <summary>Set by the classify step.</summary>
    public RouteMatch? Match { get; set; }

    /// <summary>Set by the classify step (and given arguments by the args step): what the flow decides.</summary>
    public FlowCall? Call { get; set; }
}
