using System.Text;
using Mandate.Core.Audit;
using Mandate.Core.Audit.Appending;

namespace Mandate.Storage.Sqlite.Audit;

// The writer thread's loop: batches of appends committed as one transaction (group commit), then completed.
public sealed partial class SqliteAuditLog
{
    private void WriteLoop()
    {
        try
        {
            var batch = new List<PendingAppend>(_options.MaxBatch);
            while (true)
            {
                if (!_queue.WaitForWork(CheckpointDueIn()))
                {
                    WriteTimedCheckpoint();
                    continue;
                }
                _queue.TakeBatch(batch, _options.MaxBatch);
                if (batch.Count > 0)
                {
                    WriteBatch(batch);
                    _queue.BatchDone();
                    batch.Clear();
                }
                else if (_queue.IsClosed)
                {
                    break;
                }
            }
            if (_connection is not null && _lastSeq > _lastCheckpointSeq)
            {
                WriteTimedCheckpoint();
            }
            // Before the writer's own connection closes, so that it closes last and SQLite checkpoints the whole WAL
            // and removes it, as it would with one connection.
            _walCheckpointer.Dispose();
            CloseConnection();
            _signingKey?.Dispose();
        }
        finally
        {
            _walCheckpointer.Dispose();
            _queue.WriterExited();
            _writerDone.TrySetResult();
        }
    }

    private void WriteBatch(List<PendingAppend> batch)
    {
        var receipts = new AuditReceipt[batch.Count];
        try
        {
            if (OpenError() is { } openError)
            {
                FailAll(batch, openError);
                return;
            }
            var connection = _connection!;
            var statements = _statements!;
            var sha = _sha!;
            var spans = _spans;
            spans.Clear();
            Span<byte> prevHex = stackalloc byte[2 * AuditChainHash.Size];
            Span<byte> nextHex = stackalloc byte[2 * AuditChainHash.Size];
            Span<byte> prev = stackalloc byte[AuditChainHash.Size];
            Span<byte> next = stackalloc byte[AuditChainHash.Size];
            Span<byte> time = stackalloc byte[AuditRecordFormat.TimeLength];
            long seq;
            long bytes = WalBytesPerCommit;
            var hash = _lastHash;
            using (var tx = connection.BeginTransaction(deferred: false))
            {
                // Re-read the head under the write lock: if another process appended meanwhile, this batch still extends
                // the real chain instead of forking it (and a stale seq would hit the primary key anyway).
                seq = ReadHead(statements, prevHex, out var headMoved);
                var head = seq;
                if (!AuditChainHash.TryParseHexUtf8(prevHex, prev))
                {
                    throw new InvalidDataException($"the hash of audit record {seq} is not 64 hex characters");
                }
                if (headMoved)
                {
                    hash = Encoding.ASCII.GetString(prevHex);
                }
                for (var i = 0; i < batch.Count; i++)
                {
                    var e = batch[i].Event;
                    ReadOnlySpan<byte> body;
                    try
                    {
                        body = AuditRecordFormat.SerializeToSharedBuffer(e, seq + 1);
                    }
                    catch (ArgumentException ex)
                    {
                        // Text that is not valid UTF-16 cannot be stored canonically; refuse this one record only.
                        receipts[i] = AuditReceipt.Failed(AuditErrorCodes.InvalidEvent, $"the event cannot be written as json: {ex.Message}");
                        continue;
                    }
                    bytes += body.Length + 2 * nextHex.Length;
                    AuditChainHash.Compute(sha, prev, body, next);
                    AuditChainHash.WriteHexUtf8(next, nextHex);
                    var timeLength = AuditRecordFormat.FormatTime(e.Time, time);
                    statements.InsertRecord(seq + 1, prevHex, nextHex, body, e.Kind, time[..timeLength], e.Agent, e.SessionId, e.Decision);
                    seq++;
                    spans.Add(seq, e.Agent, e.SessionId, e.Time);
                    next.CopyTo(prev);
                    nextHex.CopyTo(prevHex);
                    // A posted append has nobody to hand a receipt to (success is silence), so only awaited ones get
                    // the hash as text.
                    receipts[i] = batch[i].Completion is null ? PostedReceipt : AuditReceipt.Success(seq, Encoding.ASCII.GetString(nextHex));
                }

                if (seq != head)
                {
                    hash = Encoding.ASCII.GetString(prevHex);
                }
                spans.WriteTo(statements);
                if (seq / AuditSchema.SpanMergeEvery != head / AuditSchema.SpanMergeEvery)
                {
                    statements.MergeSpans();
                }
                if (seq - _lastCheckpointSeq >= _options.CheckpointEvery)
                {
                    InsertCheckpoint(connection, tx, seq, hash);
                }
                // INVARIANT: nothing is acknowledged before this commit returns (WAL + synchronous=FULL fsyncs it).
                tx.Commit();
            }
            if (seq - _lastCheckpointSeq >= _options.CheckpointEvery)
            {
                MarkCheckpoint(seq);
            }
            _lastSeq = seq;
            _lastHash = hash;
            if (_storeFailing.Ends())
            {
                AuditStoreLog.StoreRecovered(_logger);
            }
            AfterCommit(connection, bytes);
        }
        catch (Exception ex)
        {
            // The writer is a boundary: whatever went wrong (I/O, SQLite, a bug), these appends fail and the
            // connection is rebuilt from what is on disk, so the loop itself never dies and nothing half-written counts.
            CloseConnection();
            FailAll(batch, AuditReceipt.Failed(AuditErrorCodes.Unavailable, $"the audit record could not be written: {ex.Message}"));
            return;
        }
        for (var i = 0; i < batch.Count; i++)
        {
            batch[i].Complete(receipts[i]);
        }
    }

    private void FailAll(List<PendingAppend> batch, AuditReceipt failure)
    {
        if (_storeFailing.Starts())
        {
            AuditStoreLog.StoreUnavailable(_logger, batch.Count, failure.Error?.Message ?? "");
        }
        foreach (var item in batch)
        {
            item.Complete(failure);
        }
    }
}
