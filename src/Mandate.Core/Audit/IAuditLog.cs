namespace Mandate.Core.Audit;

/// <summary>
/// The hash-chained audit log. A request is forwarded only after its decision record is durable.
/// </summary>
public interface IAuditLog : IAuditReader
{
    /// <summary>
    /// Appends <paramref name="auditEvent"/>. INVARIANT: a successful receipt is returned only after the record is
    /// committed durably (fsync'd). Never throws for store problems: returns <see cref="AuditReceipt.Failed"/> with a
    /// code from <see cref="AuditErrorCodes"/> within a bounded time instead, so the caller can deny with 503.
    /// </summary>
    ValueTask<AuditReceipt> AppendAsync(AuditEvent auditEvent, CancellationToken ct = default);
}
