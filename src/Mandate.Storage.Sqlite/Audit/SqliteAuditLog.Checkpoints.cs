using System.Diagnostics;
using Mandate.Core.Audit;
using Microsoft.Data.Sqlite;

namespace Mandate.Storage.Sqlite.Audit;

// Signed checkpoints: every CheckpointEvery records inside a batch, and on a timer when appends pause.
public sealed partial class SqliteAuditLog
{
    private TimeSpan? CheckpointDueIn()
    {
        if (_connection is null || _lastSeq <= _lastCheckpointSeq)
        {
            return null;
        }
        var due = _options.CheckpointInterval - Stopwatch.GetElapsedTime(_lastCheckpointAt);
        return due > TimeSpan.Zero ? due : TimeSpan.Zero;
    }

    private void WriteTimedCheckpoint()
    {
        try
        {
            if (_connection is null || !SqliteFiles.IsFile(_options.DatabasePath))
            {
                CloseConnection();
                return;
            }
            using var tx = _connection.BeginTransaction(deferred: false);
            InsertCheckpoint(_connection, tx, _lastSeq, _lastHash);
            tx.Commit();
            MarkCheckpoint(_lastSeq);
        }
        catch (Exception ex)
        {
            // A missed checkpoint is retried on the next interval; the next append reports the store problem.
            if (_signedCheckpointFailing.Starts())
            {
                AuditStoreLog.SignedCheckpointFailed(_logger, _lastSeq, ex.Message);
            }
            CloseConnection();
        }
    }

    private void InsertCheckpoint(SqliteConnection connection, SqliteTransaction tx, long seq, string hash)
    {
        var checkpoint = AuditCheckpointSigner.Sign(_signingKey!, seq, hash, DateTimeOffset.UtcNow);
        using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "INSERT INTO audit_checkpoints (seq, hash, time, key_id, signature) VALUES ($seq, $hash, $time, $key, $sig);";
        cmd.Parameters.AddWithValue("$seq", checkpoint.Seq);
        cmd.Parameters.AddWithValue("$hash", checkpoint.Hash);
        cmd.Parameters.AddWithValue("$time", checkpoint.Time);
        cmd.Parameters.AddWithValue("$key", checkpoint.KeyId);
        cmd.Parameters.AddWithValue("$sig", checkpoint.Signature);
        cmd.ExecuteNonQuery();
    }

    private void MarkCheckpoint(long seq)
    {
        _lastCheckpointSeq = seq;
        _lastCheckpointAt = Stopwatch.GetTimestamp();
        if (_signedCheckpointFailing.Ends())
        {
            AuditStoreLog.SignedCheckpointRecovered(_logger, seq);
        }
    }
}
