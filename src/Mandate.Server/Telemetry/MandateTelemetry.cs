using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Mandate.Server.Telemetry;

/// <summary>
/// Where Mandate's spans and measurements come from: one <see cref="ActivitySource"/> and one <see cref="Meter"/>
/// named <c>Mandate.Gateway</c>. The host exports every source and meter whose name starts with <c>Mandate.</c>
/// (<see cref="Prefix"/>), so another part (the audit log's <c>Mandate.Audit</c>, the token service's
/// <c>Mandate.Tokens</c>) publishes without more wiring. With no listener — observability off — starting a span
/// returns null and adding to an instrument returns at once: the request path pays a null check.
/// </summary>
public static class MandateTelemetry
{
    /// <summary>What every exported source and meter name starts with.</summary>
    public const string Prefix = "Mandate.";

    /// <summary>The gateway's source and meter name.</summary>
    public const string Name = "Mandate.Gateway";

    /// <summary>The gateway's spans.</summary>
    public static ActivitySource Source { get; } = new(Name);

    /// <summary>The gateway's instruments (<see cref="GatewayMetrics"/>).</summary>
    public static Meter Meter { get; } = new(Name);

    /// <summary>
    /// Starts a step of the request's trace (identify, classify, decide, record, …) as a child of the current span —
    /// only when that span is Mandate's own and recorded: a step of an unsampled trace is not worth an allocation, and
    /// an <see cref="Activity"/> some other code started (ASP.NET Core's, carrying a caller's <c>traceparent</c>) is
    /// never a parent. Null otherwise; every caller treats null as "no span".
    /// </summary>
    public static Activity? StartStep(string name, ActivityKind kind = ActivityKind.Internal)
    {
        var parent = Activity.Current;
        if (parent is null || !parent.Recorded || !ReferenceEquals(parent.Source, Source))
        {
            return null;
        }

        return Source.StartActivity(name, kind);
    }

    /// <summary>Marks <paramref name="span"/> failed with a stable code (never an exception message: it may quote input).</summary>
    public static void Fail(Activity? span, string code)
    {
        if (span is null)
        {
            return;
        }

        span.SetStatus(ActivityStatusCode.Error, code);
        span.SetTag(SpanAttributes.ErrorType, code);
    }
}
