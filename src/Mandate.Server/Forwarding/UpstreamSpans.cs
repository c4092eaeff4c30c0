using System.Diagnostics;
using System.Net.Http.Headers;
using Mandate.Server.Telemetry;

namespace Mandate.Server.Forwarding;

/// <summary>
/// The client span of a call Mandate makes upstream after an allow (the HTTP front's forward, an MCP relay), and the
/// W3C trace context the upstream receives. Attributes name the upstream and its address, never the query or a
/// header value.
/// </summary>
public static class UpstreamSpans
{
    /// <summary>Starts the span for a call to <paramref name="upstream"/> at <paramref name="destination"/>; null when not traced.</summary>
    public static Activity? Start(string name, string upstream, Uri destination, string method)
    {
        var span = MandateTelemetry.StartStep(name, ActivityKind.Client);
        if (span is { IsAllDataRequested: true })
        {
            span.SetTag(SpanAttributes.Upstream, upstream);
            span.SetTag(SpanAttributes.HttpMethod, method);
            span.SetTag(SpanAttributes.ServerAddress, destination.Host);
            span.SetTag(SpanAttributes.ServerPort, destination.Port);
            span.SetTag(SpanAttributes.UrlPath, destination.AbsolutePath);
        }

        return span;
    }

    /// <summary>Closes the upstream span with the answer's status, or the outcome's code when the call failed.</summary>
    public static void End(Activity? span, int status, string? error)
    {
        if (span is not { IsAllDataRequested: true })
        {
            return;
        }

        span.SetTag(SpanAttributes.HttpStatus, status);
        if (error is not null)
        {
            MandateTelemetry.Fail(span, error);
        }
        else if (status >= 500)
        {
            MandateTelemetry.Fail(span, status.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Sets <c>traceparent</c> (and <c>tracestate</c>) to <paramref name="trace"/>'s, replacing what the agent sent.</summary>
    public static void Inject(Activity trace, HttpHeaders headers)
    {
        headers.Remove("traceparent");
        headers.Remove("tracestate");
        if (trace.IdFormat != ActivityIdFormat.W3C || trace.Id is not { } id)
        {
            return;
        }

        headers.TryAddWithoutValidation("traceparent", id);
        if (trace.TraceStateString is { Length: > 0 } state)
        {
            headers.TryAddWithoutValidation("tracestate", state);
        }
    }
}
