namespace Mandate.Core.Audit;

/// <summary>Read side of the audit log; safe to use from another process while a writer appends.</summary>
public interface IAuditReader
{
    /// <summary>Records matching <paramref name="query"/>, ascending by seq.</summary>
    IAsyncEnumerable<AuditEntry> QueryAsync(AuditQuery query, CancellationToken ct = default);

    /// <summary>The highest stored seq (0 when empty).</summary>
    ValueTask<long> GetHeadAsync(CancellationToken ct = default);

    /// <summary>Checks the whole chain and every checkpoint; returns the first problem found, if any.</summary>
    ValueTask<AuditVerification> VerifyAsync(CancellationToken ct = default);
}
