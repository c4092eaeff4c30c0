namespace Mandate.Core.Audit;

/// <summary>What <see cref="IAuditReader.VerifyAsync"/> found wrong. The string codes are in <see cref="AuditProblem.Code"/>.</summary>
public enum AuditProblemKind
{
    /// <summary>A record's content no longer matches its hash, or a record was re-hashed so the next link breaks.</summary>
    Edited,
    /// <summary>One or more records are missing (a gap in the sequence).</summary>
    Deleted,
    /// <summary>A record that was never appended sits in the chain (two records claim one seq, or an unlinked record).</summary>
    Inserted,
    /// <summary>Records are present but out of order.</summary>
    Reordered,
    /// <summary>The log ends before the last signed checkpoint.</summary>
    Truncated,
    /// <summary>A checkpoint's signature does not verify with the public key.</summary>
    BadCheckpointSignature,
    /// <summary>A checkpoint is validly signed but the record at its seq has another hash (the chain was rewritten).</summary>
    CheckpointMismatch,
    /// <summary>The store could not be read at all.</summary>
    Unreadable,
}
