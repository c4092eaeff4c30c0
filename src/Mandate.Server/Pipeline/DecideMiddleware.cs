using Mandate.Core.Decisions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace Mandate.Server.Pipeline;

/// <summary>
/// Decide: asks the snapshot's decision point. An exception is a failure of the machinery: the
/// request is denied with 503 and recorded.
/// </summary>
public sealed class DecideMiddleware
{
    private readonly RequestDelegate _next;
    private readonly Refusal _refusal;
    private readonly ILogger<DecideMiddleware> _logger;

    /// <summary>Creates the step.</summary>
    public DecideMiddleware(RequestDelegate next, Refusal refusal, ILogger<DecideMiddleware> logger)
    {
        _next = next;
        _refusal = refusal;
        _logger = logger;
    }

    /// <summary>Runs the step.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        var exchange = context.Features.GetRequiredFeature<GatewayExchange>();
        var match = exchange.Match!;
        var request = new DecisionRequest(exchange.DecisionId, exchange.Caller!, match.Route.Action, match.Resource, exchange.Context!);
        try
        {
            exchange.Decision = exchange.Snapshot.DecisionPoint.Decide(request);
        }
        catch (Exception e)
        {
            GatewayLog.DecisionFailed(_logger, e, exchange.DecisionId);
            exchange.Decision = GatewayDecision.Failure($"decision failed: {e.GetType().Name}");
            return _refusal.RefuseAsync(context, exchange, StatusCodes.Status503ServiceUnavailable, "decision.failed", "service unavailable", "the decision could not be made; nothing was forwarded");
        }

        return _next(context);
    }
}
