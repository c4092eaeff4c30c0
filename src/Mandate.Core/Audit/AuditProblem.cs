namespace Mandate.Core.Audit;

/// <summary>The first problem found in a log.</summary>
/// <param name="Kind">What is wrong.</param>
/// <param name="Seq">The sequence number where it shows (see docs/audit.md for each kind).</param>
/// <param name="Message">Short lowercase explanation.</param>
public sealed record AuditProblem(AuditProblemKind Kind, long Seq, string Message)
{
    /// <summary>Stable code: <c>edited</c>, <c>deleted</c>, <c>inserted</c>, <c>reordered</c>, <c>truncated</c>,
    /// <c>bad_checkpoint_signature</c>, <c>checkpoint_mismatch</c>, <c>unreadable</c>.</summary>
    public string Code => Kind switch
    {
        AuditProblemKind.Edited => "edited",
        AuditProblemKind.Deleted => "deleted",
        AuditProblemKind.Inserted => "inserted",
        AuditProblemKind.Reordered => "reordered",
        AuditProblemKind.Truncated => "truncated",
        AuditProblemKind.BadCheckpointSignature => "bad_checkpoint_signature",
        AuditProblemKind.CheckpointMismatch => "checkpoint_mismatch",
        _ => "unreadable",
    };
}
