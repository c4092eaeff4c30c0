using Microsoft.Data.Sqlite;

namespace Mandate.Storage.Sqlite.Audit;

// Keeping the WAL short after each commit, together with the background WalCheckpointer.
public sealed partial class SqliteAuditLog
{
    /// <summary>Keeps the WAL short without checkpointing inside a commit (see <see cref="WalCheckpointer"/>).</summary>
    private void AfterCommit(SqliteConnection connection, long bytes)
    {
        _walBytes += bytes;
        try
        {
            // After a background pass, only the frames appended during it are left to copy: copying them here lets the
            // next transaction rewind the WAL.
            var passEnded = _walCheckpointer.TakeCompletedPass();
            var farBehind = _walBytes >= WriterCheckpointFactor * _options.WalCheckpointBytes;
            if (farBehind)
            {
                Interlocked.Increment(ref _walWriterCheckpoints);
                if (_walFarBehind.Starts())
                {
                    AuditStoreLog.CheckpointsFallingBehind(_logger, _walBytes >> 20);
                }
            }
            if (passEnded || farBehind)
            {
                var copiedAll = WalCheckpointer.CheckpointPassive(connection);
                if (_walCopyFailing.Ends())
                {
                    AuditStoreLog.CheckpointRecovered(_logger);
                }
                if (copiedAll)
                {
                    _walBytes = 0;
                    if (_walFarBehind.Ends())
                    {
                        AuditStoreLog.CheckpointsCaughtUp(_logger);
                    }
                }
            }
        }
        catch (Exception ex)
        {
            // The batch is committed and durable; a checkpoint that failed leaves its frames in the WAL for the next one.
            if (_walCopyFailing.Starts())
            {
                AuditStoreLog.CheckpointFailed(_logger, ex.Message);
            }
        }
        if (_walBytes >= _options.WalCheckpointBytes)
        {
            _walCheckpointer.Request();
        }
    }
}
