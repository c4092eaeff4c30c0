using Mandate.Core.OAuth;
using Mandate.Core.Tokens;
using Mandate.Server.Flow;
using Mandate.Server.Flow.Identify;
using Microsoft.AspNetCore.Http;

namespace Mandate.Server.Fronts.OAuth.Exchange;

/// <summary>What the exchange checks have established so far, each check adding its part for the ones after it.</summary>
public sealed class ExchangeState
{
    /// <summary>Creates the state of one exchange request.</summary>
    public ExchangeState(HttpContext http, FlowRequest flow)
    {
        Http = http;
        Flow = flow;
    }

    /// <summary>The HTTP request.</summary>
    public HttpContext Http { get; }

    /// <summary>The request as the flow sees it; its caller is the actor once <see cref="ActorCheck"/> has run.</summary>
    public FlowRequest Flow { get; }

    /// <summary>The form parameters (<see cref="FormCheck"/>).</summary>
    public List<KeyValuePair<string, string>>? Form { get; set; }

    /// <summary>The parsed request (<see cref="ParametersCheck"/>).</summary>
    public TokenExchangeRequest? Request { get; set; }

    /// <summary>The thumbprint of the DPoP proof's key, when a proof was sent (<see cref="DpopProofCheck"/>).</summary>
    public string? Jkt { get; set; }

    /// <summary>The actor (<see cref="ActorCheck"/>).</summary>
    public ResolvedCaller? Actor => Flow.Caller;

    /// <summary>What the subject token turned out to be (<see cref="SubjectCheck"/>).</summary>
    public SubjectToken? Subject { get; set; }

    /// <summary>The requested audiences and resources (<see cref="TargetCheck"/>).</summary>
    public IReadOnlyList<string> Audiences { get; set; } = [];

    /// <summary>The narrowed, checked plan (<see cref="PlanCheck"/>).</summary>
    public ExchangePlan? Plan { get; set; }
}
