using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using SQLitePCLRaw = SQLitePCL.raw;

namespace Mandate.Storage.Sqlite.Audit;

/// <summary>
/// Copies the audit log's WAL into the database file on a thread and connection of its own, so the writer's commits
/// (and every request waiting for one) no longer stop while SQLite checkpoints.
/// </summary>
/// <remarks>
/// SQLite's automatic checkpoint runs inside the commit that crosses its threshold (1,000 pages): it reads those pages
/// back from the WAL, writes them into the database file and fsyncs it, on the writer's thread, while every append
/// queued behind that commit waits. Here the writer turns the automatic checkpoint off and asks for a pass instead
/// (<see cref="Request"/>). A pass is <c>PASSIVE</c>: it runs beside the writer's commits and never blocks them.
/// <para>
/// A passive pass alone never lets the WAL start over under a steady stream of commits: SQLite rewinds the WAL only
/// when a write begins with every frame already copied, and the writer appends new frames while the pass runs. So
/// after each pass the writer copies the few frames appended meanwhile itself (<see cref="TakeCompletedPass"/>), a
/// short step, and its next transaction rewinds the WAL. If passes cannot keep up (a reader holding an old snapshot,
/// a store problem), the writer falls back to checkpointing on its own, as SQLite would have.
/// </para>
/// Checkpoint failures lose nothing: every committed record is durable in the WAL, and the next pass retries.
/// </remarks>
internal sealed class WalCheckpointer : IDisposable
{
    // A pass stops once a round finds fewer new frames than this (each is a page, 4 KiB), or after MaxRounds.
    private const int FewFrames = 64;
    private const int MaxRounds = 8;

    private readonly string _path;
    private readonly TimeSpan _busyTimeout;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _wake = new(0);
    private readonly Thread _thread;
    private SqliteConnection? _connection;
    // Idle → Requested (writer) → Done (this thread, when the pass ends) → Idle (writer, taking it). One pass at a time:
    // a pass asked for while the writer has not yet caught up after the last would hold the checkpoint lock and make
    // the writer's short copy fail.
    private const int Idle = 0, Requested = 1, Done = 2;
    private int _state;
    private long _completedPasses;
    private volatile bool _stopping;
    private ProblemSpell _failing;

    public WalCheckpointer(string databasePath, TimeSpan busyTimeout, ILogger logger)
    {
        _path = databasePath;
        _busyTimeout = busyTimeout;
        _logger = logger;
        _thread = new Thread(Loop) { IsBackground = true, Name = "mandate-audit-checkpointer" };
        _thread.Start();
    }

    /// <summary>Passes that completed (for tests and diagnostics).</summary>
    public long CompletedPasses => Interlocked.Read(ref _completedPasses);

    /// <summary>Writer side: asks for a pass unless one is pending, running, or ended and not yet taken.</summary>
    public void Request()
    {
        if (Interlocked.CompareExchange(ref _state, Requested, Idle) == Idle)
        {
            _wake.Release();
        }
    }

    /// <summary>Writer side: true once per pass that ended (well or not) since the last call; the next
    /// <see cref="Request"/> can then start another.</summary>
    public bool TakeCompletedPass() => Interlocked.CompareExchange(ref _state, Idle, Done) == Done;

    /// <summary>Runs a passive checkpoint on <paramref name="connection"/>'s handle. Returns false when it did not run
    /// to the end (another checkpoint held the lock, or a reader's snapshot kept frames in the WAL).</summary>
    public static bool CheckpointPassive(SqliteConnection connection) => CheckpointPassive(connection, out _);

    /// <inheritdoc cref="CheckpointPassive(SqliteConnection)"/>
    /// <param name="connection">A connection to the audit database.</param>
    /// <param name="frames">The frames in the WAL when the checkpoint ran (-1 when it could not run).</param>
    private static bool CheckpointPassive(SqliteConnection connection, out int frames)
    {
        var rc = SQLitePCLRaw.sqlite3_wal_checkpoint_v2(connection.Handle, "main", SQLitePCLRaw.SQLITE_CHECKPOINT_PASSIVE, out frames, out var copied);
        if (rc == SQLitePCLRaw.SQLITE_BUSY)
        {
            frames = -1;
            return false;
        }
        if (rc != SQLitePCLRaw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, connection.Handle);
        }
        return copied == frames;
    }

    /// <summary>Stops the thread (a pass in progress finishes first) and closes its connection. Idempotent.</summary>
    public void Dispose()
    {
        if (_stopping)
        {
            return;
        }
        _stopping = true;
        _wake.Release();
        _thread.Join();
        _connection?.Dispose();
        _connection = null;
    }

    private void Loop()
    {
        while (true)
        {
            _wake.Wait();
            if (_stopping)
            {
                return;
            }
            try
            {
                if (Connection() is { } connection)
                {
                    Pass(connection);
                    Interlocked.Increment(ref _completedPasses);
                    if (_failing.Ends())
                    {
                        AuditStoreLog.CheckpointRecovered(_logger);
                    }
                }
            }
            catch (Exception ex)
            {
                // Nothing is lost (the frames stay in the WAL); reopen on the next request. Logged once per spell of
                // failures: passes are asked for several times a second under load.
                if (_failing.Starts())
                {
                    AuditStoreLog.CheckpointFailed(_logger, ex.Message);
                }
                _connection?.Dispose();
                _connection = null;
            }
            // Ended, well or not: the writer's own short copy comes next, and tells whether the WAL can rewind.
            Volatile.Write(ref _state, Done);
        }
    }

    /// <summary>One pass: checkpoints again while the last round found many new frames (what the writer appended
    /// during the round before), so that what is left for the writer's own copy is small.</summary>
    private void Pass(SqliteConnection connection)
    {
        var before = 0;
        for (var round = 0; round < MaxRounds && !_stopping; round++)
        {
            if (!CheckpointPassive(connection, out var frames) || frames - before < FewFrames)
            {
                return;
            }
            before = frames;
        }
    }

    /// <summary>The checkpoint connection, opened on first use. Never creates the file: a missing or replaced
    /// database is the writer's to report.</summary>
    private SqliteConnection? Connection()
    {
        if (_connection is not null && SqliteFiles.IsFile(_path))
        {
            return _connection;
        }
        _connection?.Dispose();
        _connection = null;
        if (!SqliteFiles.IsFile(_path))
        {
            return null;
        }
        return _connection = SqliteFiles.OpenDurable(_path, _busyTimeout, create: false);
    }
}
