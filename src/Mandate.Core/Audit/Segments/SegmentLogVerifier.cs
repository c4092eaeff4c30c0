using System.Security.Cryptography;

namespace Mandate.Core.Audit.Segments;

/// <summary>
/// Walks the segment log itself: every frame's length and check, every link to the previous record's hash, the seq
/// order within and across segments, that every record decodes, every checkpoint's signature, and that the log reaches
/// the last signed checkpoint. Stops at the first problem. Reads through one buffer and decodes only what a record
/// needs to be vouched for, so it runs at the speed of SHA-256 over the bytes.
/// </summary>
public static class SegmentLogVerifier
{
    /// <summary>True when <paramref name="dataDirectory"/> holds a segment log.</summary>
    public static bool Exists(string dataDirectory) => SegmentFiles.List(SegmentFiles.Folder(dataDirectory)).Count > 0;

    /// <summary>Verifies the log in <paramref name="dataDirectory"/>; checkpoints must verify against the PEM key at
    /// <paramref name="publicKeyPath"/> (default: the public key in the data directory).</summary>
    public static AuditVerification Verify(string dataDirectory, string? publicKeyPath, CancellationToken ct = default)
    {
        var folder = SegmentFiles.Folder(dataDirectory);
        var checkpoints = SegmentCheckpoints.Read(folder);
        var keyPath = publicKeyPath ?? Path.Combine(dataDirectory, AuditSigningKey.PublicKeyFile);
        using var key = File.Exists(keyPath) ? AuditSigningKey.LoadPublic(keyPath) : null;
        var anchors = new Dictionary<long, byte[]>();
        long lastCheckpoint = 0;
        for (var i = 0; i < checkpoints.Count; i++)
        {
            var cp = checkpoints[i];
            if (cp is null)
            {
                return Fail(0, 0, checkpoints.Count, AuditProblemKind.BadCheckpointSignature, 0, $"line {i + 1} of {SegmentFiles.CheckpointsFile} is not a checkpoint");
            }
            if (key is null || !AuditCheckpointSigner.Verify(key, cp))
            {
                return Fail(0, 0, checkpoints.Count, AuditProblemKind.BadCheckpointSignature, cp.Seq,
                    key is null ? $"no public key to check the checkpoint at seq {cp.Seq}" : $"the checkpoint at seq {cp.Seq} is not signed by key `{AuditCheckpointSigner.KeyIdOf(key)}`");
            }
            var hash = new byte[AuditChainHash.Size];
            if (!AuditChainHash.TryParseHex(cp.Hash, hash) || (anchors.TryGetValue(cp.Seq, out var other) && !other.AsSpan().SequenceEqual(hash)))
            {
                return Fail(0, 0, checkpoints.Count, AuditProblemKind.CheckpointMismatch, cp.Seq, $"two signed checkpoints disagree about seq {cp.Seq}");
            }
            anchors[cp.Seq] = hash;
            lastCheckpoint = Math.Max(lastCheckpoint, cp.Seq);
        }

        var segments = SegmentFiles.List(folder);
        var reader = new AuditRecordReader(skim: true);
        Span<byte> prev = stackalloc byte[AuditChainHash.Size];
        prev.Clear();
        long count = 0, powerLoss = 0, lastSeq = 0;
        using var scanner = new SegmentScanner(segments);
        while (true)
        {
            if (!scanner.MoveNext())
            {
                var stop = scanner.Stop;
                var last = scanner.SegmentIndex >= segments.Count - 1;
                if (stop == ScanStop.End || (stop == ScanStop.Incomplete && last))
                {
                    break; // the end, or the tail of a record being written right now
                }
                var where = scanner.Segment?.Path ?? folder;
                return stop switch
                {
                    ScanStop.Invalid => Fail(count, powerLoss, checkpoints.Count, AuditProblemKind.Edited, lastSeq + 1, $"record {lastSeq + 1} does not match its check (in `{Path.GetFileName(where)}` at byte {scanner.Offset})"),
                    ScanStop.Incomplete => Fail(count, powerLoss, checkpoints.Count, AuditProblemKind.Deleted, lastSeq + 1, $"`{Path.GetFileName(where)}` ends inside record {lastSeq + 1}"),
                    _ => Fail(count, powerLoss, checkpoints.Count, AuditProblemKind.Unreadable, lastSeq + 1, $"`{Path.GetFileName(where)}` cannot be read ({stop})"),
                };
            }
            if ((count & 0xFFFF) == 0)
            {
                ct.ThrowIfCancellationRequested();
            }
            var frame = scanner.Frame;
            var payload = SegmentFrame.Payload(frame);
            var expected = lastSeq + 1;
            if (AuditRecordReader.ReadSeq(payload) is not { } seq)
            {
                return Fail(count, powerLoss, checkpoints.Count, AuditProblemKind.Edited, expected, $"record {expected} is not a valid record");
            }
            if (scanner.IsSegmentStart)
            {
                reader.Reset();
                if (scanner.Header!.FirstSeq != seq)
                {
                    return Fail(count, powerLoss, checkpoints.Count, AuditProblemKind.Edited, seq, $"segment `{Path.GetFileName(scanner.Segment!.Path)}` says it starts at {scanner.Header.FirstSeq} but holds record {seq}");
                }
            }
            if (seq != expected)
            {
                return seq > expected
                    ? Fail(count, powerLoss, checkpoints.Count, AuditProblemKind.Deleted, expected, seq - 1 == expected ? $"record {expected} is missing" : $"records {expected}..{seq - 1} are missing")
                    : seq == lastSeq
                        ? Fail(count, powerLoss, checkpoints.Count, AuditProblemKind.Inserted, seq, $"two records claim seq {seq}")
                        : Fail(count, powerLoss, checkpoints.Count, AuditProblemKind.Reordered, seq, $"record {seq} appears after record {lastSeq}");
            }
            if (!SegmentFrame.Previous(frame).SequenceEqual(prev))
            {
                return Fail(count, powerLoss, checkpoints.Count, AuditProblemKind.Edited, Math.Max(1, lastSeq), $"record {seq} does not link to record {lastSeq}");
            }
            if (reader.ReadSummary(payload) is not { } summary)
            {
                return Fail(count, powerLoss, checkpoints.Count, AuditProblemKind.Edited, seq, $"record {seq} does not decode");
            }
            if (anchors.TryGetValue(seq, out var anchored) && !scanner.Hash.SequenceEqual(anchored))
            {
                return Fail(count, powerLoss, checkpoints.Count, AuditProblemKind.CheckpointMismatch, seq, $"record {seq} differs from its signed checkpoint; the chain was rewritten");
            }
            if ((summary.Flags & AuditRecordFlags.PowerLoss) != 0)
            {
                powerLoss++;
            }
            scanner.Hash.CopyTo(prev);
            lastSeq = seq;
            count++;
        }
        if (lastSeq < lastCheckpoint)
        {
            return Fail(count, powerLoss, checkpoints.Count, AuditProblemKind.Truncated, lastSeq + 1, $"the log ends at seq {lastSeq} but a signed checkpoint covers seq {lastCheckpoint}");
        }
        return new AuditVerification(count, checkpoints.Count, null) { PowerLossRecords = powerLoss, Store = "segments" };
    }

    private static AuditVerification Fail(long records, long powerLoss, int checkpoints, AuditProblemKind kind, long seq, string message) =>
        new(records, checkpoints, new AuditProblem(kind, seq, message)) { PowerLossRecords = powerLoss, Store = "segments" };
}
