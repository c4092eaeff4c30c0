namespace Mandate.Core.Decisions;

/// <summary>
/// Where the gateway writes its audit records. Implementations must complete
/// <see cref="RecordDecisionAsync"/> only once the record is durable, and report failures as values.
/// </summary>
public interface IDecisionRecorder
{
    /// <summary>Appends a decision record; completes when it is durable (or failed).</summary>
    ValueTask<RecordResult> RecordDecisionAsync(DecisionRecord record, CancellationToken cancellationToken);

    /// <summary>Appends an outcome record.</summary>
    ValueTask<RecordResult> RecordOutcomeAsync(OutcomeRecord record, CancellationToken cancellationToken);

    /// <summary>
    /// Queues an outcome record without waiting for it (the response is already on its way). Returns the error
    /// when it could not be queued, else null; a later write failure is reported to <paramref name="failed"/> with
    /// the decision id and the error (on the audit writer's thread: log and return).
    /// </summary>
    string? PostOutcome(OutcomeRecord record, Action<string, string>? failed);

    /// <summary>Appends a record of a step in an approval's life; completes when it is durable (or failed).</summary>
    ValueTask<RecordResult> RecordApprovalAsync(ApprovalEventRecord record, CancellationToken cancellationToken);

    /// <summary>Appends the record of a call the shadow policy set would have answered differently.</summary>
    ValueTask<RecordResult> RecordShadowAsync(ShadowRecord record, CancellationToken cancellationToken);

    /// <summary>Appends a policy loaded/refused/promoted record.</summary>
    ValueTask<RecordResult> RecordPolicyChangeAsync(PolicyChangeRecord record, CancellationToken cancellationToken);

    /// <summary>True when the log can currently be written (for readiness).</summary>
    ValueTask<bool> IsWritableAsync(CancellationToken cancellationToken);
}
