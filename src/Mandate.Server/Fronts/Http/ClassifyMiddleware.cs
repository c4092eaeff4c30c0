using Mandate.Core.Errors;
using Mandate.Server.Configuration;
using Mandate.Server.Flow;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Mandate.Server.Fronts.Http;

/// <summary>
/// Translates the request into the flow's call: the route table maps method + canonical path to the Cedar action,
/// the resource entity and the upstream. No route → 404 (405 when only the method differs), recorded as a deny:
/// nothing unrouted is forwarded.
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
        var match = state.Flow.Snapshot.Routes.Resolve(context.Request.Method, state.Path!, out var pathKnown);
        if (match is null)
        {
            return pathKnown
                ? HttpRefusal.WriteAsync(context, _flow, state, ErrorCatalogue.RouteMethodNotAllowed, $"no route for {context.Request.Method} on this path")
                : HttpRefusal.WriteAsync(context, _flow, state, ErrorCatalogue.RouteNotFound, "no route matches this path");
        }

        var route = match.Route;
        state.Match = match;
        state.Call = new FlowCall(route.Action, match.Resource)
        {
            Upstream = route.Upstream,
            Labels = route.Labels,
            IsWrite = route.Write,
            ApprovalExpiry = route.ApprovalExpiry,
            ApprovalId = ApprovalHeader.Read(context.Request),
            HasUnreadBody = route.Args != RouteArgs.Json && HasBody(context.Request),
        };
        return _next(context);
    }

    // A body the route forwards without reading: any declared length, or a chunked body.
    private static bool HasBody(HttpRequest request) =>
        request.ContentLength is > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);
}
