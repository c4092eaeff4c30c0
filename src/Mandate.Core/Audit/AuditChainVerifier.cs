using System.Security.Cryptography;

namespace Mandate.Core.Audit;

/// <summary>
/// Checks a chain read from any store: every record's hash, every link, the seq order, every checkpoint signature,
/// and that the chain reaches the last checkpoint. Stops at the first problem. Store-independent so every store
/// verifies the same way.
/// </summary>
public static class AuditChainVerifier
{
    /// <summary>Verifies <paramref name="records"/> (in the store's position order) against <paramref name="checkpoints"/>.</summary>
    /// <param name="records">All rows, ascending by the store's position column.</param>
    /// <param name="checkpoints">All checkpoint rows.</param>
    /// <param name="publicKey">Key that must have signed every checkpoint; null fails any checkpoint.</param>
    /// <param name="ct">Cancellation.</param>
    public static async ValueTask<AuditVerification> VerifyAsync(
        IAsyncEnumerable<StoredAuditRecord> records,
        IReadOnlyList<AuditCheckpoint> checkpoints,
        ECDsa? publicKey,
        CancellationToken ct = default)
    {
        // Checkpoints are the trust anchor, so they are checked before the chain is compared with them.
        var anchors = new Dictionary<long, string>();
        long lastCheckpoint = 0;
        foreach (var cp in checkpoints.OrderBy(c => c.Seq))
        {
            if (publicKey is null)
            {
                return Fail(0, checkpoints.Count, AuditProblemKind.BadCheckpointSignature, cp.Seq, $"no public key to check the checkpoint at seq {cp.Seq}");
            }
            if (!AuditCheckpointSigner.Verify(publicKey, cp))
            {
                return Fail(0, checkpoints.Count, AuditProblemKind.BadCheckpointSignature, cp.Seq, $"the checkpoint at seq {cp.Seq} is not signed by key `{AuditCheckpointSigner.KeyIdOf(publicKey)}`");
            }
            if (anchors.TryGetValue(cp.Seq, out var other) && other != cp.Hash)
            {
                return Fail(0, checkpoints.Count, AuditProblemKind.CheckpointMismatch, cp.Seq, $"two signed checkpoints disagree about seq {cp.Seq}");
            }
            anchors[cp.Seq] = cp.Hash;
            lastCheckpoint = Math.Max(lastCheckpoint, cp.Seq);
        }

        await using var rows = records.GetAsyncEnumerator(ct);
        long count = 0;
        long prevSeq = 0;
        var prevHash = AuditChainHash.Genesis;
        var current = await rows.MoveNextAsync() ? rows.Current : null;
        while (current is not null)
        {
            ct.ThrowIfCancellationRequested();
            var next = await rows.MoveNextAsync() ? rows.Current : null;
            var expected = prevSeq + 1;

            if (AuditChainHash.Compute(current.PrevHash, current.Body) is not { } computed || computed != current.Hash)
            {
                return Fail(count, checkpoints.Count, AuditProblemKind.Edited, current.Seq, $"record {current.Seq} does not match its hash");
            }
            if (AuditRecordFormat.ReadSeq(current.Body) is not { } bodySeq)
            {
                return Fail(count, checkpoints.Count, AuditProblemKind.Edited, current.Seq, $"record {current.Seq} is not a valid record");
            }

            if (bodySeq > expected)
            {
                // Either record `expected` is gone, or it sits further on (order changed).
                if (await ContainsSeqAsync(next, rows, expected))
                {
                    return Fail(count, checkpoints.Count, AuditProblemKind.Reordered, current.Seq, $"record {bodySeq} appears before record {expected}");
                }
                var missing = bodySeq - 1 == expected ? $"record {expected} is" : $"records {expected}..{bodySeq - 1} are";
                return Fail(count, checkpoints.Count, AuditProblemKind.Deleted, expected, $"{missing} missing");
            }
            if (bodySeq < expected)
            {
                return bodySeq == prevSeq
                    ? Fail(count, checkpoints.Count, AuditProblemKind.Inserted, bodySeq, $"two records claim seq {bodySeq}")
                    : Fail(count, checkpoints.Count, AuditProblemKind.Reordered, current.Seq, $"record {bodySeq} appears after record {prevSeq}");
            }
            if (current.PrevHash != prevHash)
            {
                if (next is null || AuditRecordFormat.ReadSeq(next.Body) == bodySeq)
                {
                    return Fail(count, checkpoints.Count, AuditProblemKind.Inserted, bodySeq, $"record {bodySeq} does not link to record {prevSeq}; it was not appended by the log");
                }
                // The record itself is intact and the next one links to it: the predecessor was changed and re-hashed.
                var edited = prevSeq == 0 ? bodySeq : prevSeq;
                return Fail(count, checkpoints.Count, AuditProblemKind.Edited, edited, $"record {bodySeq} no longer links to record {prevSeq}");
            }
            if (current.Seq != bodySeq)
            {
                return Fail(count, checkpoints.Count, AuditProblemKind.Edited, current.Seq, $"the row at position {current.Seq} holds record {bodySeq}");
            }
            if (anchors.TryGetValue(bodySeq, out var anchored) && anchored != current.Hash)
            {
                return Fail(count, checkpoints.Count, AuditProblemKind.CheckpointMismatch, bodySeq, $"record {bodySeq} differs from its signed checkpoint; the chain was rewritten");
            }

            count++;
            prevSeq = bodySeq;
            prevHash = current.Hash;
            current = next;
        }

        if (prevSeq < lastCheckpoint)
        {
            return Fail(count, checkpoints.Count, AuditProblemKind.Truncated, prevSeq + 1, $"the log ends at seq {prevSeq} but a signed checkpoint covers seq {lastCheckpoint}");
        }
        return new AuditVerification(count, checkpoints.Count, null);
    }

    private static async ValueTask<bool> ContainsSeqAsync(StoredAuditRecord? next, IAsyncEnumerator<StoredAuditRecord> rest, long seq)
    {
        // Verification stops at this problem, so reading the rest of the rows here is fine.
        if (next is null)
        {
            return false;
        }
        if (AuditRecordFormat.ReadSeq(next.Body) == seq)
        {
            return true;
        }
        while (await rest.MoveNextAsync())
        {
            if (AuditRecordFormat.ReadSeq(rest.Current.Body) == seq)
            {
                return true;
            }
        }
        return false;
    }

    private static AuditVerification Fail(long records, int checkpoints, AuditProblemKind kind, long seq, string message) =>
        new(records, checkpoints, new AuditProblem(kind, seq, message));
}
