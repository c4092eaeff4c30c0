using Mandate.Core.Decisions;
using Mandate.Core.Errors;
using Mandate.Server.Flow;
using Mandate.Server.Forwarding;
using Mandate.Server.Snapshots;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace Mandate.Server.Fronts.Http;

/// <summary>
/// First step of the data plane: takes the current snapshot (once), gives the request a decision id and its client
/// address (<see cref="HttpFlowRequests"/>), and turns any exception further on into a 503 <c>gateway.error</c> that is
/// recorded where possible.
/// </summary>
public sealed class HttpEntryMiddleware
{
    private readonly RequestDelegate _next;
    private readonly SnapshotHolder _snapshots;
    private readonly DecisionFlow _flow;
    private readonly TimeProvider _time;
    private readonly ILogger<HttpEntryMiddleware> _logger;

    /// <summary>Creates the step.</summary>
    public HttpEntryMiddleware(RequestDelegate next, SnapshotHolder snapshots, DecisionFlow flow, TimeProvider time, ILogger<HttpEntryMiddleware> logger)
    {
        _next = next;
        _snapshots = snapshots;
        _flow = flow;
        _time = time;
        _logger = logger;
    }

    /// <summary>Runs the step.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? "";
        var request = HttpFlowRequests.Open(context, Front.Http, _snapshots.Current, rawTarget, _time.GetUtcNow());
        var state = new HttpRequestState(request, rawTarget);
        context.Features.Set(state);
        try
        {
            await _next(context);
        }
        catch (Exception e) when (!context.RequestAborted.IsCancellationRequested)
        {
            HttpLog.RequestFailed(_logger, e, request.DecisionId);
            if (!context.Response.HasStarted)
            {
                context.Response.Clear();
                await HttpRefusal.WriteAsync(context, _flow, state, ErrorCatalogue.GatewayError, "the gateway could not complete this request; nothing was forwarded");
            }
        }
    }
}

/// <summary>Opens the flow's request for an HTTP request, the same way on every front that speaks HTTP.</summary>
public static class HttpFlowRequests
{
    /// <summary>
    /// A new decision id (also sent as <c>X-Mandate-Decision-Id</c>) and the request facts: the real method, the
    /// target (canonical once known), the client address (the TCP peer; <c>X-Forwarded-For</c> only from
    /// <c>trustedProxies</c>), the Host.
    /// </summary>
    public static FlowRequest Open(HttpContext context, Front front, GatewaySnapshot snapshot, string target, DateTimeOffset now)
    {
        var clientIp = ForwardingHeaders.ClientAddress(context, snapshot.Config.TrustedProxies).ToString();
        var facts = new RequestFacts(context.Request.Method, target, clientIp, context.Request.Host.Value ?? "");
        var request = new FlowRequest(front, DecisionIds.New(), snapshot, facts, now)
        {
            Scheme = context.Request.Scheme,
            Telemetry = context.Features.Get<Telemetry.RequestTelemetry>(),
        };
        context.Response.Headers["X-Mandate-Decision-Id"] = request.DecisionId;
        return request;
    }
}
