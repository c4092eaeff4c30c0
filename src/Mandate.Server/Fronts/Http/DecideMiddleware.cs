using Mandate.Server.Flow;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Mandate.Server.Fronts.Http;

/// <summary>
/// Hands the call to the decision flow (context, rules, policies, durable record) and renders its verdict: a deny
/// is answered here (403 with reasons, 503 when the machinery or the audit log failed); an allow — whose record is
/// already durable — goes on to forwarding.
/// </summary>
public sealed class DecideMiddleware
{
    private readonly RequestDelegate _next;
    private readonly DecisionFlow _flow;

    /// <summary>Creates the step.</summary>
    public DecideMiddleware(RequestDelegate next, DecisionFlow flow)
    {
        _next = next;
        _flow = flow;
    }

    /// <summary>Runs the step.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        var state = context.Features.GetRequiredFeature<HttpRequestState>();
        var verdict = await _flow.DecideAsync(state.Flow, state.Call!);
        if (verdict.Approval is { } ticket && state.Match!.Route.ApprovalWait > TimeSpan.Zero && _flow.Approvals is { } approvals)
        {
            // The route holds the call open while a person decides; a client that hangs up gets nothing forwarded.
            var decided = await approvals.WaitAsync(ticket.Id, state.Match.Route.ApprovalWait, context.RequestAborted);
            if (decided?.Status == Mandate.Core.Approvals.ApprovalStatus.Approved && !context.RequestAborted.IsCancellationRequested)
            {
                var decisionId = state.Flow.NextDecision();
                context.Response.Headers["X-Mandate-Decision-Id"] = decisionId;
                state.Call = state.Call! with { ApprovalId = ticket.Id };
                verdict = await _flow.DecideAsync(state.Flow, state.Call);
            }
        }

        if (!verdict.IsAllowed)
        {
            await HttpVerdicts.WriteAsync(context, state.Flow.DecisionId, verdict);
            return;
        }

        await _next(context);
    }
}
