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

    /// <summary>Appends a policy loaded/refused record.</summary>
    ValueTask<RecordResult> RecordPolicyChangeAsync(PolicyChangeRecord record, CancellationToken cancellationToken);

    /// <summary>True when the log can currently be written (for readiness).</summary>
    ValueTask<bool> IsWritableAsync(CancellationToken cancellationToken);
}
