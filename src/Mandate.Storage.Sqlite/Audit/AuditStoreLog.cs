using Microsoft.Extensions.Logging;

namespace Mandate.Storage.Sqlite.Audit;

/// <summary>Log messages of the audit store's background work, which has no request to fail and no caller to tell.
/// A lasting problem is logged when it starts and when it ends, not on every retry.</summary>
internal static partial class AuditStoreLog
{
    [LoggerMessage(5001, LogLevel.Warning, "audit WAL checkpoint failed; every record stays durable in the WAL and the next pass retries: {Error}")]
    public static partial void CheckpointFailed(ILogger logger, string error);

    [LoggerMessage(5002, LogLevel.Information, "audit WAL checkpoints work again")]
    public static partial void CheckpointRecovered(ILogger logger);

    [LoggerMessage(5003, LogLevel.Warning, "audit WAL checkpoints are {WalMiB} MiB behind (a reader holding an old snapshot, or a store problem); the audit writer now copies the WAL by itself after its commits")]
    public static partial void CheckpointsFallingBehind(ILogger logger, long walMiB);

    [LoggerMessage(5004, LogLevel.Information, "audit WAL checkpoints caught up")]
    public static partial void CheckpointsCaughtUp(ILogger logger);

    [LoggerMessage(5005, LogLevel.Error, "signed audit checkpoint after record {Seq} could not be written; retried at each interval: {Error}")]
    public static partial void SignedCheckpointFailed(ILogger logger, long seq, string error);

    [LoggerMessage(5006, LogLevel.Error, "audit store unavailable, {Count} records refused (their requests are denied): {Error}")]
    public static partial void StoreUnavailable(ILogger logger, int count, string error);

    [LoggerMessage(5007, LogLevel.Information, "audit store writes again")]
    public static partial void StoreRecovered(ILogger logger);

    [LoggerMessage(5009, LogLevel.Error, "audit index behind the log after record {Seq}; search lags until it works again (the log itself is not affected): {Error}")]
    public static partial void IndexFailed(ILogger logger, long seq, string error);

    [LoggerMessage(5010, LogLevel.Information, "audit index caught up with the log (record {Seq})")]
    public static partial void IndexRecovered(ILogger logger, long seq);

    [LoggerMessage(5011, LogLevel.Warning, "audit.db does not match the audit log ({Reason}); it is set aside and the index is rebuilt from the log")]
    public static partial void IndexSetAside(ILogger logger, string reason);

    [LoggerMessage(5008, LogLevel.Information, "signed audit checkpoints are written again (the last one covers record {Seq})")]
    public static partial void SignedCheckpointRecovered(ILogger logger, long seq);
}

/// <summary>Whether a lasting problem is under way, so that it is logged when it starts and when it ends, not on every
/// retry. A mutable struct: keep it in a field and call it there, never through a copy.</summary>
internal struct ProblemSpell
{
    private bool _under;

    /// <summary>True if this begins the problem (log it); false while it goes on.</summary>
    public bool Starts()
    {
        var starts = !_under;
        _under = true;
        return starts;
    }

    /// <summary>True if a problem was under way and is now over (log that); false otherwise.</summary>
    public bool Ends()
    {
        var ends = _under;
        _under = false;
        return ends;
    }
}
