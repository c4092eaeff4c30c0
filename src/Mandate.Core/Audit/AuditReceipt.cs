namespace Mandate.Core.Audit;

/// <summary>
/// The answer to <see cref="IAuditLog.AppendAsync"/>. Success means the record is durable on disk with the
/// given sequence number and hash; failure carries an <see cref="AuditError"/> and nothing was acknowledged.
/// </summary>
public sealed record AuditReceipt
{
    private AuditReceipt(long seq, string? hash, AuditError? error)
    {
        Seq = seq;
        Hash = hash;
        Error = error;
    }

    /// <summary>True when the record is durable.</summary>
    public bool Ok => Error is null;

    /// <summary>Sequence number of the record (1..n); 0 on failure.</summary>
    public long Seq { get; }

    /// <summary>Hex SHA-256 chain hash of the record; null on failure.</summary>
    public string? Hash { get; }

    /// <summary>Why the append failed; null on success.</summary>
    public AuditError? Error { get; }

    /// <summary>A durable record.</summary>
    public static AuditReceipt Success(long seq, string hash) => new(seq, hash, null);

    /// <summary>A failed append; no record was acknowledged.</summary>
    public static AuditReceipt Failed(string code, string message) => new(0, null, new AuditError(code, message));
}
