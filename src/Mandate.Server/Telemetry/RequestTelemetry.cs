using System.Diagnostics;

namespace Mandate.Server.Telemetry;

/// <summary>
/// What observability knows about one data-plane request, carried as an <c>HttpContext</c> feature and on the flow's
/// request: its root span (null when traces are off), when it entered, and the front and verdict the flow filled in,
/// for the end-to-end histogram. Exists only while observability is on.
/// </summary>
public sealed class RequestTelemetry
{
    /// <summary>Creates the state for a request that entered at <paramref name="started"/> (a <see cref="Stopwatch"/> timestamp).</summary>
    public RequestTelemetry(Activity? span, long started)
    {
        Span = span;
        Started = started;
    }

    /// <summary>The request's root span (a server span of <c>Mandate.Gateway</c>), recorded or only propagated; null when traces are off.</summary>
    public Activity? Span { get; }

    /// <summary>When the request entered (a <see cref="Stopwatch"/> timestamp).</summary>
    public long Started { get; }

    /// <summary>The front that took the request; <c>none</c> until one does.</summary>
    public string Front { get; set; } = "none";

    /// <summary>The verdict of the request's own decision (<c>allow</c>, <c>deny</c>, <c>step_up</c>); <c>none</c> until recorded.</summary>
    public string Verdict { get; set; } = "none";

    /// <summary>The trace id as the audit record carries it (32 hex digits); null when the trace is not recorded (sampled out, or traces off).</summary>
    public string? TraceId => Span is { Recorded: true } span ? span.TraceId.ToHexString() : null;
}
