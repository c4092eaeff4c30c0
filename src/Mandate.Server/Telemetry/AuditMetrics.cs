using System.Diagnostics;

namespace Mandate.Server.Telemetry;

/// <summary>
/// What the decision journal tells observability about its appends: the one seam between the audit log and the
/// meters, so a new audit log (a segment log with group commit) reports the same instruments by calling the same two
/// methods. <see cref="Appending"/> returns the token <see cref="Appended"/> takes back.
/// </summary>
public interface IAuditMetrics
{
    /// <summary>An append the journal will wait for begins; returns a start timestamp (0 when nobody measures).</summary>
    long Appending();

    /// <summary>That append ended: durable (in the class in force) or not.</summary>
    void Appended(string kind, bool durable, long started);
}

/// <summary>
/// The audit instruments: <c>mandate.audit.pending</c> (records the journal is waiting on — the write queue as the
/// request path sees it; a gauge of <see cref="Pending"/>), <c>mandate.audit.record.duration</c> (until durable: the group commit's flush latency as a
/// caller feels it) and <c>mandate.audit.failures</c>. The durability class is a gauge of its own (see
/// <see cref="DurabilityClass"/>). With no listener each call is one branch.
/// </summary>
public sealed class AuditMetrics : IAuditMetrics
{

    // Records awaited and not yet durable: an Interlocked count the `mandate.audit.pending` gauge reads when a collector
    // asks, rather than an up-down counter updated twice per record (the measured cost of telemetry is per request).
    private static long _pending;

    /// <summary>Records the journal is waiting on right now, summed over every journal of the process.</summary>
    public static long Pending => Interlocked.Read(ref _pending);

    /// <summary>The instance the journal uses unless given another.</summary>
    public static AuditMetrics Instance { get; } = new(Core.Audit.AuditDurabilityNames.ProcessCrash);

    /// <summary>Creates the metrics for an audit log of durability class <paramref name="durabilityClass"/>.</summary>
    public AuditMetrics(string durabilityClass) => DurabilityClass = durabilityClass;

    /// <summary>The default durability class (<c>process_crash</c> or <c>power_loss</c>); the host exports the configured one as <c>mandate.audit.durability</c>.</summary>
    public string DurabilityClass { get; }

    /// <inheritdoc />
    public long Appending()
    {
        if (!GatewayMetrics.AuditRecordDuration.Enabled)
        {
            return 0;
        }

        Interlocked.Increment(ref _pending);
        return Stopwatch.GetTimestamp();
    }

    /// <inheritdoc />
    public void Appended(string kind, bool durable, long started)
    {
        if (started == 0)
        {
            return;
        }

        Interlocked.Decrement(ref _pending);
        var kindTag = new KeyValuePair<string, object?>("mandate.record.kind", kind);
        GatewayMetrics.AuditRecordDuration.Record(GatewayMetrics.Since(started), kindTag, new KeyValuePair<string, object?>(SpanAttributes.Durable, durable));
        if (!durable)
        {
            GatewayMetrics.AuditFailures.Add(1, kindTag);
        }
    }
}
