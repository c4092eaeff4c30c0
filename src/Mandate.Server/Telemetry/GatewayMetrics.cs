using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Mandate.Server.Telemetry;

/// <summary>
/// The gateway's instruments on the <c>Mandate.Gateway</c> meter. Tags are low-cardinality on purpose: fronts,
/// verdicts, stable codes, configured names — never an agent id, a path or an argument. Each caller checks
/// <see cref="Instrument.Enabled"/> before building tags, so with no listener a measurement costs one branch.
/// </summary>
public static class GatewayMetrics
{
    // Mandate's steps take tens of microseconds; an approval wait or a slow upstream takes seconds.
    private static readonly InstrumentAdvice<double> Seconds = new()
    {
        HistogramBucketBoundaries = [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    };

    /// <summary><c>mandate.decisions</c>: decision records written, by front, verdict and code (one per audit decision record).</summary>
    public static Counter<long> Decisions { get; } = MandateTelemetry.Meter.CreateCounter<long>(
        "mandate.decisions", "{decision}", "Decisions recorded, by front, verdict and stable code");

    /// <summary><c>mandate.refusals</c>: requests refused before any decision (malformed, no identity, no route, bad body), by front and code.</summary>
    public static Counter<long> Refusals { get; } = MandateTelemetry.Meter.CreateCounter<long>(
        "mandate.refusals", "{request}", "Requests refused before a policy decision, by front and stable code");

    /// <summary><c>mandate.decision.duration</c>: the decide step (rules, session, approval, Cedar), by front and verdict.</summary>
    public static Histogram<double> DecisionDuration { get; } = MandateTelemetry.Meter.CreateHistogram(
        "mandate.decision.duration", "s", "Time to decide one call (flow rules and Cedar), by front and verdict", advice: Seconds);

    /// <summary><c>mandate.request.duration</c>: a data-plane request from entry to its complete answer, by front and verdict.</summary>
    public static Histogram<double> RequestDuration { get; } = MandateTelemetry.Meter.CreateHistogram(
        "mandate.request.duration", "s", "End-to-end time of a data-plane request (decision, record, upstream, answer), by front and verdict", advice: Seconds);

    /// <summary><c>mandate.audit.record.duration</c>: a record's append as the journal sees it (until durable, or failed).</summary>
    public static Histogram<double> AuditRecordDuration { get; } = MandateTelemetry.Meter.CreateHistogram(
        "mandate.audit.record.duration", "s", "Time until a decision or approval record is durable, as the decision journal waits for it", advice: Seconds);

    /// <summary><c>mandate.audit.failures</c>: records the audit log did not take, by kind.</summary>
    public static Counter<long> AuditFailures { get; } = MandateTelemetry.Meter.CreateCounter<long>(
        "mandate.audit.failures", "{record}", "Records the audit log did not make durable, by kind");

    /// <summary><c>mandate.token.exchanges</c>: token exchange answers, by result and code.</summary>
    public static Counter<long> TokenExchanges { get; } = MandateTelemetry.Meter.CreateCounter<long>(
        "mandate.token.exchanges", "{exchange}", "Token exchanges answered, by result (issued, refused) and stable code");

    /// <summary><c>mandate.token.revocations</c>: task tokens and sessions revoked, by way (admin, rfc7009).</summary>
    public static Counter<long> Revocations { get; } = MandateTelemetry.Meter.CreateCounter<long>(
        "mandate.token.revocations", "{revocation}", "Task token and session revocations, by way (admin, rfc7009) and result");

    /// <summary><c>mandate.mcp.calls</c>: MCP tool calls decided, by server, tool and verdict.</summary>
    public static Counter<long> McpCalls { get; } = MandateTelemetry.Meter.CreateCounter<long>(
        "mandate.mcp.calls", "{call}", "MCP tools/call messages decided, by server, tool and verdict");

    /// <summary><c>mandate.config.reloads</c>: snapshot reloads, by result and trigger.</summary>
    public static Counter<long> ConfigReloads { get; } = MandateTelemetry.Meter.CreateCounter<long>(
        "mandate.config.reloads", "{reload}", "Configuration and policy reloads, by result (applied, unchanged, refused) and trigger");

    /// <summary><c>mandate.approvals.events</c>: steps in approvals' lives, by event.</summary>
    public static Counter<long> ApprovalEvents { get; } = MandateTelemetry.Meter.CreateCounter<long>(
        "mandate.approvals.events", "{event}", "Approval events (requested, decided, consumed, expired, notified)");

    /// <summary>Adds one to <paramref name="counter"/> with one tag, when anyone listens.</summary>
    public static void Count(Counter<long> counter, string key, string value)
    {
        if (counter.Enabled)
        {
            counter.Add(1, new KeyValuePair<string, object?>(key, value));
        }
    }

    /// <summary>Adds one to <paramref name="counter"/> with two tags, when anyone listens.</summary>
    public static void Count(Counter<long> counter, string key1, string value1, string key2, string value2)
    {
        if (counter.Enabled)
        {
            counter.Add(1, new KeyValuePair<string, object?>(key1, value1), new KeyValuePair<string, object?>(key2, value2));
        }
    }

    /// <summary>Adds one to <paramref name="counter"/> with three tags, when anyone listens.</summary>
    public static void Count(Counter<long> counter, string key1, string value1, string key2, string value2, string key3, string value3)
    {
        if (counter.Enabled)
        {
            counter.Add(1, new KeyValuePair<string, object?>(key1, value1), new KeyValuePair<string, object?>(key2, value2), new KeyValuePair<string, object?>(key3, value3));
        }
    }

    /// <summary>Seconds since <paramref name="started"/> (a <see cref="Stopwatch"/> timestamp).</summary>
    public static double Since(long started) => Stopwatch.GetElapsedTime(started).TotalSeconds;
}
