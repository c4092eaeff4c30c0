using Mandate.Core.Decisions;
using Mandate.Core.Errors;
using Mandate.Server.Telemetry;
using Microsoft.Extensions.Logging;

namespace Mandate.Server.Flow.Record;

/// <summary>
/// The only code that builds decision and outcome records, for every front: the same fields whatever the front
/// (decision id, front, caller with its session and chain, action, resource, request facts, code, policies,
/// reasons, errors, policy version, upstream). A decision record is awaited until durable: an allow is acted on only
/// then. Outcome records follow the answer and never hold it. Failures are values and logged, never thrown.
/// </summary>
public sealed class DecisionJournal
{
    private readonly IDecisionRecorder _recorder;
    private readonly TimeProvider _time;
    private readonly ILogger<DecisionJournal> _logger;
    private readonly Action<string, string> _outcomeFailed;

    /// <summary>Creates the journal over the audit log.</summary>
    public DecisionJournal(IDecisionRecorder recorder, TimeProvider time, ILogger<DecisionJournal> logger)
    {
        _recorder = recorder;
        _time = time;
        _logger = logger;
        _outcomeFailed = (decisionId, error) => FlowLog.AuditFailed(_logger, decisionId, error);
    }

    /// <summary>Where the journal reports its appends (queue depth, time until durable, failures).</summary>
    public IAuditMetrics Metrics { get; init; } = AuditMetrics.Instance;

    /// <summary>The clock records are stamped with.</summary>
    public TimeProvider Time => _time;

    /// <summary>Records the verdict on the call <paramref name="subject"/> names; true when durable.</summary>
    public async ValueTask<bool> RecordAsync(FlowRequest request, string decisionId, CallSubject subject, Verdict verdict)
    {
        var record = new DecisionRecord(
            decisionId,
            _time.GetUtcNow(),
            verdict.IsAllowed ? DecisionOutcome.Allow : DecisionOutcome.Deny,
            verdict.Code.Code,
            request.Caller?.Identity,
            subject.Action,
            subject.Resource,
            request.Facts,
            verdict.Policies,
            verdict.Errors,
            request.Snapshot.Version,
            subject.Upstream)
        {
            Front = request.Front.Name(),
            Principal = subject.Principal,
            Connection = request.Connection,
            Reasons = verdict.IsAllowed ? [] : verdict.Reasons.Count > 0 ? verdict.Reasons : [verdict.Detail],
            ApprovalId = verdict.Approval?.Id ?? verdict.ApprovalUsed,
            TraceId = request.Telemetry?.TraceId,
            Durability = subject.Durability,
        };
        using var span = MandateTelemetry.StartStep("mandate.record");
        var started = Metrics.Appending();
        var durable = false;
        try
        {
            var result = await _recorder.RecordDecisionAsync(record, CancellationToken.None);
            if (!result.IsDurable)
            {
                FlowLog.AuditFailed(_logger, decisionId, result.Error ?? "unknown");
            }

            durable = result.IsDurable;
        }
        catch (Exception e)
        {
            FlowLog.AuditFailed(_logger, decisionId, e.Message);
        }

        Metrics.Appended("decision", durable, started);
        FlowTelemetry.Recorded(span, request, decisionId, verdict, durable);
        return durable;
    }

    /// <summary>Records a step in an approval's life (in the same chain as the decisions); true when durable. Never throws.</summary>
    public async ValueTask<bool> RecordApprovalAsync(ApprovalEventRecord record)
    {
        var started = Metrics.Appending();
        var durable = false;
        try
        {
            var result = await _recorder.RecordApprovalAsync(record, CancellationToken.None);
            if (!result.IsDurable)
            {
                FlowLog.AuditFailed(_logger, record.DecisionId, result.Error ?? "unknown");
            }

            durable = result.IsDurable;
        }
        catch (Exception e)
        {
            FlowLog.AuditFailed(_logger, record.DecisionId, e.Message);
        }

        Metrics.Appended("approval", durable, started);
        if (GatewayMetrics.ApprovalEvents.Enabled)
        {
            GatewayMetrics.ApprovalEvents.Add(1, new KeyValuePair<string, object?>("mandate.approval.event", record.Kind));
        }

        return durable;
    }

    /// <summary>Records that the shadow policy set would have answered a call differently; true when durable. Never throws.</summary>
    public async ValueTask<bool> RecordShadowAsync(ShadowRecord record)
    {
        var started = Metrics.Appending();
        var durable = false;
        try
        {
            var result = await _recorder.RecordShadowAsync(record, CancellationToken.None);
            if (!result.IsDurable)
            {
                FlowLog.AuditFailed(_logger, record.DecisionId, result.Error ?? "unknown");
            }

            durable = result.IsDurable;
        }
        catch (Exception e)
        {
            FlowLog.AuditFailed(_logger, record.DecisionId, e.Message);
        }

        Metrics.Appended("shadow", durable, started);
        return durable;
    }

    /// <summary>
    /// Queues the outcome of an allowed call (status, bytes, upstream latency) once its answer is complete, without
    /// waiting for the write: the decision record that gated it is already durable.
    /// </summary>
    public void PostOutcome(FlowRequest request, string decisionId, int status, long bytes, TimeSpan latency, ErrorCode? error)
    {
        var outcome = new OutcomeRecord(decisionId, _time.GetUtcNow(), status, bytes, latency, error?.Code, request.Caller?.Identity);
        if (_recorder.PostOutcome(outcome, _outcomeFailed) is { } notQueued)
        {
            FlowLog.AuditFailed(_logger, decisionId, notQueued);
        }
    }
}
