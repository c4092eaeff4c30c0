using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Mandate.Core.Audit;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mandate.Storage.Sqlite.Audit;

/// <summary>
/// The audit log on SQLite (<c>&lt;data-dir&gt;/audit.db</c>, WAL, <c>synchronous=FULL</c>).
/// Appends go through a queue (<see cref="AuditAppendQueue"/>) to one writer that commits them in batches (group commit)
/// and only then completes them. Store failures come back as <see cref="AuditReceipt.Failed"/>, never as exceptions,
/// within <see cref="SqliteAuditOptions.AppendTimeout"/> (plus at most one watchdog period). <see cref="Post"/> appends
/// to the same chain without a waiter. Dispose to drain pending appends and write a final checkpoint.
/// </summary>
public sealed class SqliteAuditLog : IAuditLog, IAsyncDisposable
{
    private readonly SqliteAuditOptions _options;
    private readonly SqliteAuditReader _reader;
    private readonly AuditAppendQueue _queue;
    private readonly WalCheckpointer _walCheckpointer;
    private readonly ILogger _logger;
    private readonly TaskCompletionSource _writerDone = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // Writer-only state: touched by the writer task alone, so no locks.
    private SqliteConnection? _connection;
    private AuditWriteStatements? _statements;
    private IncrementalHash? _sha;
    private readonly AuditSpanBatch _spans = new();
    private ECDsa? _signingKey;
    private long _lastSeq;
    private string _lastHash = AuditChainHash.Genesis;
    private long _lastCheckpointSeq;
    private long _lastCheckpointAt = Stopwatch.GetTimestamp();
    private bool _opened;
    private long _walBytes;
    private long _walWriterCheckpoints;
    // What was last logged about the store, so that a lasting problem is logged once, not per batch or per pass.
    private ProblemSpell _storeFailing;
    private ProblemSpell _walFarBehind;
    private ProblemSpell _walCopyFailing;
    private ProblemSpell _signedCheckpointFailing;

    // _walBytes: what the writer estimates it has appended to the WAL since it last rewound. A background pass is asked
    // for at SqliteAuditOptions.WalCheckpointBytes; the writer checkpoints by itself only if passes fall far behind.
    private const int WriterCheckpointFactor = 16;
    // A commit rewrites the table's last, partly filled leaf page, its parent and the span page besides the new pages.
    private const int WalBytesPerCommit = 3 * 4120;

    /// <summary>Starts the log. Never throws for store problems: they surface as failed appends, and problems of the
    /// background work (WAL checkpoints, signed checkpoints) go to <paramref name="logger"/>.</summary>
    public SqliteAuditLog(SqliteAuditOptions options, ILogger? logger = null)
    {
        _options = options;
        _logger = logger ?? NullLogger.Instance;
        _reader = new SqliteAuditReader(options);
        _queue = new AuditAppendQueue(options.MaxPending, options.MaxBatch, options.AppendTimeout);
        _walCheckpointer = new WalCheckpointer(options.DatabasePath, options.BusyTimeout, _logger);
        // A dedicated thread, not the thread pool: durability must not wait behind a starved pool under load, and the
        // writer blocks on SQLite (fsync) by design.
        new Thread(WriteLoop) { IsBackground = true, Name = "mandate-audit-writer" }.Start();
    }

    /// <inheritdoc />
    public ValueTask<AuditReceipt> AppendAsync(AuditEvent auditEvent, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(auditEvent.Kind))
        {
            return ValueTask.FromResult(InvalidEvent);
        }
        if (ct.IsCancellationRequested)
        {
            return ValueTask.FromResult(CancelledReceipt);
        }
        var pending = PendingAppend.Awaited(auditEvent, _queue.NewDeadline());
        if (_queue.Enqueue(pending) is { } refused)
        {
            return ValueTask.FromResult(refused);
        }
        // The common case awaits the writer's task directly: no state machine, no timer (the queue's watchdog
        // answers audit.timeout).
        return ct.CanBeCanceled ? WaitCancellableAsync(pending, ct) : new ValueTask<AuditReceipt>(pending.Completion!.Task);
    }

    /// <inheritdoc />
    public AuditError? Post(AuditEvent auditEvent, Action<AuditEvent, AuditError>? onFailed = null)
    {
        if (string.IsNullOrEmpty(auditEvent.Kind))
        {
            return InvalidEvent.Error;
        }
        return _queue.Enqueue(PendingAppend.Posted(auditEvent, _queue.NewDeadline(), onFailed))?.Error;
    }

    private static readonly AuditReceipt InvalidEvent = AuditReceipt.Failed(AuditErrorCodes.InvalidEvent, "an audit event needs a kind");
    // Stands for the success of a posted append, which no one reads (Complete reports only failures for those).
    private static readonly AuditReceipt PostedReceipt = AuditReceipt.Success(0, AuditChainHash.Genesis);
    private static readonly AuditReceipt CancelledReceipt = AuditReceipt.Failed(AuditErrorCodes.Cancelled, "the append was cancelled before it was durable");

    private static async ValueTask<AuditReceipt> WaitCancellableAsync(PendingAppend pending, CancellationToken ct)
    {
        using (ct.UnsafeRegister(static state =>
        {
            var p = (PendingAppend)state!;
            p.Abandon();
            p.Complete(CancelledReceipt);
        }, pending))
        {
            return await pending.Completion!.Task.ConfigureAwait(false);
        }
    }

    /// <summary>WAL checkpoint passes the background checkpointer has completed (diagnostics and tests).</summary>
    internal long WalCheckpointPasses => _walCheckpointer.CompletedPasses;

    /// <summary>Commits after which the writer tried to copy the WAL by itself because passes fell far behind
    /// (diagnostics and tests).</summary>
    internal long WalWriterCheckpoints => Interlocked.Read(ref _walWriterCheckpoints);

    /// <inheritdoc />
    public IAsyncEnumerable<AuditEntry> QueryAsync(AuditQuery query, CancellationToken ct = default) => _reader.QueryAsync(query, ct);

    /// <inheritdoc />
    public ValueTask<long> GetHeadAsync(CancellationToken ct = default) => _reader.GetHeadAsync(ct);

    /// <inheritdoc />
    public ValueTask<AuditVerification> VerifyAsync(CancellationToken ct = default) => _reader.VerifyAsync(ct);

    /// <summary>The checkpoint public key as PEM (SubjectPublicKeyInfo), creating the key pair if it does not exist yet.</summary>
    public string ExportPublicKeyPem()
    {
        Directory.CreateDirectory(_options.DataDirectory);
        using var key = AuditSigningKey.LoadOrCreate(_options.DataDirectory);
        return key.ExportSubjectPublicKeyInfoPem();
    }

    /// <summary>Stops accepting appends, writes what is queued, writes a final checkpoint and closes the file.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Close();
        await _writerDone.Task.ConfigureAwait(false);
        _queue.Dispose();
    }

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

    /// <summary>Opens the store if needed; returns a failure receipt when it cannot be used.</summary>
    private AuditReceipt? OpenError()
    {
        var path = _options.DatabasePath;
        if (_connection is not null)
        {
            if (SqliteFiles.IsFile(path))
            {
                return null;
            }
            // An open handle to a deleted or replaced file would keep "succeeding" into nowhere.
            CloseConnection();
        }
        if (_opened && !SqliteFiles.IsFile(path))
        {
            // Starting a fresh chain silently would hide the loss of the old one.
            return AuditReceipt.Failed(AuditErrorCodes.Unavailable, $"`{path}` is gone; refusing to start a new chain");
        }
        if (Directory.Exists(path))
        {
            return AuditReceipt.Failed(AuditErrorCodes.Unavailable, $"`{path}` is a directory");
        }
        SqliteConnection? connection = null;
        try
        {
            Directory.CreateDirectory(_options.DataDirectory);
            SqliteFiles.CreatePrivateIfMissing(path);
            connection = new SqliteConnection(SqliteFiles.ConnectionString(path, readOnly: false, _options.BusyTimeout));
            connection.Open();
            SqliteFiles.SetBusyTimeout(connection, _options.BusyTimeout);
            AuditSchema.Ensure(connection);
            SqliteFiles.Exec(connection, "PRAGMA synchronous = FULL;");
            // Checkpoints run on the WalCheckpointer's thread, not inside this connection's commits.
            SqliteFiles.Exec(connection, "PRAGMA wal_autocheckpoint = 0;");
            _signingKey ??= AuditSigningKey.LoadOrCreate(_options.DataDirectory);
            _statements = new AuditWriteStatements(connection);
            _sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            LoadState(connection, _statements);
            _connection = connection;
            _opened = true;
            return null;
        }
        catch (Exception ex)
        {
            DisposeStatements();
            connection?.Dispose();
            return AuditReceipt.Failed(AuditErrorCodes.Unavailable, $"the audit log cannot be opened: {ex.Message}");
        }
    }

    private void LoadState(SqliteConnection connection, AuditWriteStatements statements)
    {
        Span<byte> hex = stackalloc byte[2 * AuditChainHash.Size];
        _lastSeq = statements.ReadHead(hex);
        _lastHash = Encoding.ASCII.GetString(hex);
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT COALESCE(MAX(seq), 0) FROM audit_checkpoints;";
        _lastCheckpointSeq = Convert.ToInt64(cmd.ExecuteScalar());
    }

    /// <summary>The head as the file has it now (seq, hash as hex UTF-8), and whether it differs from the head this
    /// writer last committed, i.e. another process appended: a prepared statement on the raw handle, because this
    /// runs once per batch.</summary>
    private long ReadHead(AuditWriteStatements statements, Span<byte> hashHex, out bool moved)
    {
        var seq = statements.ReadHead(hashHex);
        moved = seq != _lastSeq || !Ascii.Equals(hashHex, _lastHash);
        return seq;
    }

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

    private void CloseConnection()
    {
        // Statements first: a connection closed with live statements lingers as a zombie handle.
        DisposeStatements();
        _connection?.Dispose();
        _connection = null;
    }

    private void DisposeStatements()
    {
        _statements?.Dispose();
        _statements = null;
        _sha?.Dispose();
        _sha = null;
    }
}
