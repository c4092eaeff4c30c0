namespace Mandate.Core.Audit;

/// <summary>
/// The hash-chained audit log. A request is forwarded only after its decision record is durable.
/// </summary>
public interface IAuditLog : IAuditReader
{
    /// <summary>
    /// Appends <paramref name="auditEvent"/>. INVARIANT: a successful receipt is returned only after the record is
    /// in the log in the log's default durability class. Never throws for store problems: returns <see cref="AuditReceipt.Failed"/> with a
    /// code from <see cref="AuditErrorCodes"/> within a bounded time instead, so the caller can deny with 503.
    /// </summary>
    ValueTask<AuditReceipt> AppendAsync(AuditEvent auditEvent, CancellationToken ct = default);

    /// <summary>
    /// Appends <paramref name="auditEvent"/> in the durability class <paramref name="durability"/>: the receipt comes
    /// once the record is in the log file (<see cref="AuditDurability.ProcessCrash"/>) or once an fsync covers it
    /// (<see cref="AuditDurability.PowerLoss"/>). A log that always syncs may treat both as power-loss durable.
    /// </summary>
    ValueTask<AuditReceipt> AppendAsync(AuditEvent auditEvent, AuditDurability durability, CancellationToken ct = default);

    /// <summary>
    /// Appends <paramref name="auditEvent"/> to the same chain and group commit without anyone waiting for it: for
    /// records of something already done (an outcome after the response went out). Returns why it could not even be
    /// queued, or null; a later write failure is reported to <paramref name="onFailed"/> (on the writer's thread:
    /// keep it short, it must not block).
    /// </summary>
    AuditError? Post(AuditEvent auditEvent, Action<AuditEvent, AuditError>? onFailed = null);
}
