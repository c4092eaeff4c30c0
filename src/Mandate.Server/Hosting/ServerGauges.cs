using System.Diagnostics.Metrics;
using Mandate.Core.Approvals;
using Mandate.Server.Flow.Approve;
using Mandate.Server.Telemetry;

namespace Mandate.Server.Hosting;

/// <summary>
/// The gauges one server's state answers, read when a collector asks (never on the request path): approvals pending
/// and the oldest one's age, the audit records awaited, and the audit log's durability class. On a meter of their own, made per server and
/// disposed with it, so a stopped server leaves no callback behind.
/// </summary>
internal sealed class ServerGauges : IDisposable
{
    private readonly Meter _meter = new(MandateTelemetry.Prefix + "Server");

    /// <summary>Creates the gauges over <paramref name="approvals"/> (null: none run) and the audit log's class.</summary>
    public ServerGauges(ApprovalDesk? approvals, string durabilityClass)
    {
        if (approvals is not null)
        {
            _meter.CreateObservableGauge("mandate.approvals.pending", () => Pending(approvals).Count, "{approval}",
                "Approval requests waiting for a person");
            _meter.CreateObservableGauge("mandate.approvals.pending.age", () => OldestAge(approvals), "s",
                "Age of the oldest approval request still waiting (0 when none waits)");
        }

        _meter.CreateObservableGauge("mandate.audit.pending", () => AuditMetrics.Pending, "{record}",
            "Audit records the decision journal is waiting on (appended, not yet durable)");
        _meter.CreateObservableGauge("mandate.audit.durability", () => new Measurement<int>(1,
            new KeyValuePair<string, object?>("mandate.audit.durability_class", durabilityClass)), "{class}",
            "The audit log's durability class (the attribute; the value is always 1)");
    }

    private static IReadOnlyList<ApprovalRequest> Pending(ApprovalDesk approvals) =>
        approvals.Book.List(ApprovalStatus.Pending, approvals.Time.GetUtcNow());

    private static double OldestAge(ApprovalDesk approvals)
    {
        var pending = Pending(approvals);
        return pending.Count == 0 ? 0 : Math.Max(0, (approvals.Time.GetUtcNow() - pending[0].CreatedAt).TotalSeconds);
    }

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();
}
