using System.Diagnostics;
using System.Net;
using Mandate.Server.Configuration;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Mandate.Server.Telemetry;

/// <summary>
/// The first traced step of every data-plane request (probes excepted), installed only while observability is on:
/// opens the request's root server span and its <see cref="RequestTelemetry"/>, and on the way out closes the span
/// with the status and records <c>mandate.request.duration</c>. A W3C <c>traceparent</c> is taken as the parent only
/// when the TCP peer is in <c>observability.traces.acceptParentFrom</c>; from anyone else it is ignored (and the
/// upstream receives Mandate's own), so an agent cannot join, steer the sampling of, or forge entries in an
/// operator's traces. ASP.NET Core's own activity (which believes any caller) is never the parent either.
/// </summary>
public sealed class TraceEntryMiddleware
{
    private readonly RequestDelegate _next;
    private readonly bool _traces;
    private readonly IReadOnlyList<IPNetwork> _acceptParentFrom;

    /// <summary>Creates the step for <paramref name="config"/>.</summary>
    public TraceEntryMiddleware(RequestDelegate next, ObservabilityConfig config)
    {
        _next = next;
        _traces = config.TracingOn;
        _acceptParentFrom = config.AcceptParentFrom;
    }

    /// <summary>Runs the step.</summary>
    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        var span = _traces ? StartRoot(context) : null;
        var telemetry = new RequestTelemetry(span, started);
        context.Features.Set(telemetry);
        try
        {
            await _next(context);
        }
        finally
        {
            var status = context.Response.StatusCode;
            if (span is not null)
            {
                if (span.IsAllDataRequested)
                {
                    span.SetTag(SpanAttributes.HttpStatus, status);
                    span.SetTag(SpanAttributes.Front, telemetry.Front);
                    if (status >= 500)
                    {
                        span.SetStatus(ActivityStatusCode.Error);
                        span.SetTag(SpanAttributes.ErrorType, status.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    }
                }

                span.Dispose();
            }

            // ASP.NET Core's http.server.request.duration gets the front too, so it can be split like Mandate's own.
            context.Features.Get<IHttpMetricsTagsFeature>()?.Tags.Add(new(SpanAttributes.Front, telemetry.Front));
            if (GatewayMetrics.RequestDuration.Enabled)
            {
                GatewayMetrics.RequestDuration.Record(GatewayMetrics.Since(started),
                    new KeyValuePair<string, object?>(SpanAttributes.Front, telemetry.Front),
                    new KeyValuePair<string, object?>(SpanAttributes.Verdict, telemetry.Verdict));
            }
        }
    }

    private Activity? StartRoot(HttpContext context)
    {
        var parent = default(ActivityContext);
        if (IsTrusted(context.Connection.RemoteIpAddress))
        {
            var headers = context.Request.Headers;
            var traceparent = headers.TraceParent;
            if (traceparent.Count == 1)
            {
                var tracestate = headers.TraceState;
                _ = ActivityContext.TryParse(traceparent[0], tracestate.Count == 1 ? tracestate[0] : null, isRemote: true, out parent);
            }
        }

        // With no explicit parent, ActivitySource would adopt Activity.Current (ASP.NET Core's, built from whatever
        // traceparent the caller sent): clear it so an untrusted caller's trace is never continued.
        Activity.Current = null;
        var request = context.Request;
        var span = MandateTelemetry.Source.StartActivity(request.Method, ActivityKind.Server, parent);
        if (span is { IsAllDataRequested: true })
        {
            span.SetTag(SpanAttributes.HttpMethod, request.Method);
            span.SetTag(SpanAttributes.UrlScheme, request.Scheme);
            span.SetTag(SpanAttributes.ServerAddress, request.Host.Host);
            if (request.Host.Port is { } port)
            {
                span.SetTag(SpanAttributes.ServerPort, port);
            }

            span.SetTag(SpanAttributes.ClientAddress, context.Connection.RemoteIpAddress?.ToString());
        }

        return span;
    }

    private bool IsTrusted(IPAddress? peer)
    {
        if (peer is null || _acceptParentFrom.Count == 0)
        {
            return false;
        }

        if (peer.IsIPv4MappedToIPv6)
        {
            peer = peer.MapToIPv4();
        }

        foreach (var network in _acceptParentFrom)
        {
            if (network.Contains(peer))
            {
                return true;
            }
        }

        return false;
    }
}
