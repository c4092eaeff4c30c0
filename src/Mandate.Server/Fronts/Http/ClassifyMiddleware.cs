using Mandate.Core.Errors;
using Mandate.Server.Configuration;
using Mandate.Server.Flow;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Mandate.Server.Fronts.Http;

/// <summary>
/// Translates the request into the flow's call: the route table maps method + canonical path to the Cedar action,
/// the resource entity and the upstream. No route → 404 (405 when only the method differs), recorded as a deny:
/// nothing unrouted is forwarded. A path with non-ASCII characters is refused with 400 unless the route allows them
/// (<c>nonAscii: allow</c>), and then only in NFKC form, so route matching and the forwarded path are one form.
/// </summary>
public sealed class ClassifyMiddleware
{
    private readonly RequestDelegate _next;
    private readonly DecisionFlow _flow;

    /// <summary>Creates the step.</summary>
    public ClassifyMiddleware(RequestDelegate next, DecisionFlow flow)
    {
        _next = next;
        _flow = flow;
    }

    /// <summary>Runs the step.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        // Not async: a step that passes the request on returns the next step's task (no state machine per request).
        var state = context.Features.GetRequiredFeature<HttpRequestState>();
        var span = FlowTelemetry.StartClassify();
        var match = state.Flow.Snapshot.Routes.Resolve(context.Request.Method, state.Path!, out var pathKnown);
        if (match is null)
        {
            FlowTelemetry.Classified(span, state.Flow, null, null, pathKnown ? ErrorCatalogue.RouteMethodNotAllowed.Code : ErrorCatalogue.RouteNotFound.Code);
            return pathKnown
                ? HttpRefusal.WriteAsync(context, _flow, state, ErrorCatalogue.RouteMethodNotAllowed, "no route for this method on this path")
                : HttpRefusal.WriteAsync(context, _flow, state, ErrorCatalogue.RouteNotFound, "no route matches this path");
        }

        state.Match = match;
        state.Call = RouteCalls.For(match, context.Request, match.Route.Args != RouteArgs.Json && RouteCalls.DeclaresBody(context.Request));
        var refusal = RouteCalls.PathRefusal(match, state.Path!);
        FlowTelemetry.Classified(span, state.Flow, state.Call, match.Route.Path.Text, refusal?.Code.Code);
        if (refusal is not null)
        {
            return HttpRefusal.WriteAsync(context, _flow, state, refusal.Value.Code, refusal.Value.Message);
        }

        return _next(context);
    }
}
