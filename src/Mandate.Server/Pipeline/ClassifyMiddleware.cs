using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Mandate.Server.Pipeline;

/// <summary>
/// Classify, part two: the route table maps method + canonical path to action, resource and upstream.
/// No route → 404 (405 when only the method differs), recorded as a deny: nothing unrouted is forwarded.
/// </summary>
public sealed class ClassifyMiddleware
{
    private readonly RequestDelegate _next;
    private readonly Refusal _refusal;

    /// <summary>Creates the step.</summary>
    public ClassifyMiddleware(RequestDelegate next, Refusal refusal)
    {
        _next = next;
        _refusal = refusal;
    }

    /// <summary>Runs the step.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        // Not async: a step that passes the request on returns the next step's task (no state machine per request).
        var exchange = context.Features.GetRequiredFeature<GatewayExchange>();
        var match = exchange.Snapshot.Routes.Resolve(context.Request.Method, exchange.Path!, out var pathKnown);
        if (match is null)
        {
            return pathKnown
                ? _refusal.RefuseAsync(context, exchange, StatusCodes.Status405MethodNotAllowed, "route.method_not_allowed", "method not allowed", $"no route for {context.Request.Method} on this path")
                : _refusal.RefuseAsync(context, exchange, StatusCodes.Status404NotFound, "route.not_found", "not found", "no route matches this path");
        }

        exchange.Match = match;
        return _next(context);
    }
}
