using Mandate.Core.Decisions;
using Mandate.Server.Forwarding;
using Mandate.Server.Snapshots;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace Mandate.Server.Pipeline;

/// <summary>
/// First step of the data plane: takes the current snapshot (once), gives the request a decision id
/// and its client address, and turns any exception further on into a 503 that is recorded where possible.
/// </summary>
public sealed class GatewayEntryMiddleware
{
    private readonly RequestDelegate _next;
    private readonly SnapshotHolder _snapshots;
    private readonly Refusal _refusal;
    private readonly TimeProvider _time;
    private readonly ILogger<GatewayEntryMiddleware> _logger;

    /// <summary>Creates the step.</summary>
    public GatewayEntryMiddleware(RequestDelegate next, SnapshotHolder snapshots, Refusal refusal, TimeProvider time, ILogger<GatewayEntryMiddleware> logger)
    {
        _next = next;
        _snapshots = snapshots;
        _refusal = refusal;
        _time = time;
        _logger = logger;
    }

    /// <summary>Runs the step.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        var snapshot = _snapshots.Current;
        var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? "";
        var clientIp = ForwardingHeaders.ClientAddress(context, snapshot.Config.TrustedProxies).ToString();
        var exchange = new GatewayExchange(DecisionIds.New(), snapshot, clientIp, _time.GetUtcNow(), rawTarget);
        context.Features.Set(exchange);
        context.Response.Headers["X-Mandate-Decision-Id"] = exchange.DecisionId;
        try
        {
            await _next(context);
        }
        catch (Exception e) when (!context.RequestAborted.IsCancellationRequested)
        {
            GatewayLog.RequestFailed(_logger, e, exchange.DecisionId);
            if (!context.Response.HasStarted)
            {
                context.Response.Clear();
                await _refusal.RefuseAsync(context, exchange, StatusCodes.Status503ServiceUnavailable, "gateway.error", "service unavailable", "the gateway could not complete this request; nothing was forwarded");
            }
        }
    }
}
