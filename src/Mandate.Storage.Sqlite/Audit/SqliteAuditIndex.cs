using System.Globalization;
using System.Text;
using Mandate.Core.Audit;
using Mandate.Core.Audit.Segments;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mandate.Storage.Sqlite.Audit;

/// <summary>
/// The SQLite tables of <c>audit.db</c> as an index behind the segment log, for search and replay: a thread of its own
/// follows the log (<see cref="SegmentLogCursor"/>) and inserts what the writer has committed, many records per
/// transaction, without fsync (the log is the source of truth; the index is rebuilt from it). After a restart it
/// catches up from where it stopped. An <c>audit.db</c> that does not match the log (a format 1 log from before the
/// segment log, or an index of another log) is set aside as <c>audit.db.set-aside-&lt;time&gt;</c> and rebuilt.
/// Readers (<see cref="SqliteAuditReader"/>) see rows whose seq, prev_hash and hash are the log's.
/// </summary>
public sealed class SqliteAuditIndex : IAsyncDisposable
{
    private const int MaxRowsPerCommit = 4096;
    private readonly SqliteAuditOptions _options;
    private readonly SegmentAuditLog _log;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _wake = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly AuditSpanBatch _spans = new();
    private SqliteConnection? _connection;
    private AuditWriteStatements? _statements;
    private SegmentLogCursor? _cursor;
    // _indexed: the last seq inserted (in the open transaction, maybe); _committed: the last seq readers can see.
    private long _indexed;
    private long _committed;
    private string? _indexedHash;
    private bool _failing;

    /// <summary>Starts following <paramref name="log"/> into <c>audit.db</c> in <see cref="SqliteAuditOptions.DataDirectory"/>.</summary>
    public SqliteAuditIndex(SqliteAuditOptions options, SegmentAuditLog log, ILogger? logger = null)
    {
        _options = options;
        _log = log;
        _logger = logger ?? NullLogger.Instance;
        log.OnWritten(() =>
        {
            if (_wake.CurrentCount == 0)
            {
                _wake.Release();
            }
        });
        _loop = Task.Factory.StartNew(Loop, TaskCreationOptions.LongRunning).Unwrap();
    }

    /// <summary>The last seq in the index.</summary>
    public long Indexed => Volatile.Read(ref _committed);

    /// <summary>Waits until the index holds every record the log had committed when called; false after
    /// <paramref name="timeout"/>.</summary>
    public async Task<bool> CaughtUpAsync(TimeSpan timeout)
    {
        var target = _log.Head;
        var until = DateTime.UtcNow + timeout;
        while (Indexed < target)
        {
            if (DateTime.UtcNow > until)
            {
                return false;
            }
            _wake.Release();
            await Task.Delay(5).ConfigureAwait(false);
        }
        return true;
    }

    private async Task Loop()
    {
        await _log.Opened.ConfigureAwait(false);
        while (!_stop.IsCancellationRequested)
        {
            CatchUp();
            try
            {
                await _wake.WaitAsync(TimeSpan.FromMilliseconds(250), _stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        CatchUp();
        Close();
    }

    // Indexes everything the log has committed; a failure is logged once and retried on the next wake.
    private void CatchUp()
    {
        try
        {
            Open();
            while (true)
            {
                var committed = _log.Head;
                var inserted = 0;
                using (var tx = _connection!.BeginTransaction())
                {
                    while (inserted < MaxRowsPerCommit && _cursor!.Next(committed) is { } entry)
                    {
                        if (entry.Seq <= _indexed)
                        {
                            if (entry.Seq == _indexed && entry.Hash != _indexedHash)
                            {
                                throw new IndexMismatchException($"the index's record {entry.Seq} is not the log's");
                            }
                            continue;
                        }
                        Insert(entry);
                        inserted++;
                    }
                    _spans.WriteTo(_statements!);
                    _spans.Clear();
                    tx.Commit();
                }
                // INVARIANT: Indexed moves only after the commit, so a reader told the index caught up sees the rows.
                Volatile.Write(ref _committed, _indexed);
                if (inserted == 0)
                {
                    break;
                }
            }
            if (_failing)
            {
                _failing = false;
                AuditStoreLog.IndexRecovered(_logger, _indexed);
            }
        }
        catch (IndexMismatchException e)
        {
            AuditStoreLog.IndexSetAside(_logger, e.Message);
            Close();
            SetAside();
        }
        catch (Exception e)
        {
            if (!_failing)
            {
                _failing = true;
                AuditStoreLog.IndexFailed(_logger, _indexed, e.Message);
            }
            Close();
        }
    }

    private void Insert(SegmentLogEntry entry)
    {
        var e = entry.Event;
        Span<byte> prev = stackalloc byte[2 * AuditChainHash.Size];
        Span<byte> hash = stackalloc byte[2 * AuditChainHash.Size];
        Span<byte> time = stackalloc byte[AuditRecordFormat.TimeLength];
        Encoding.ASCII.GetBytes(entry.PrevHash, prev);
        Encoding.ASCII.GetBytes(entry.Hash, hash);
        var timeLength = AuditRecordFormat.FormatTime(e.Time, time);
        var body = AuditRecordFormat.SerializeToSharedBuffer(e, entry.Seq);
        _statements!.InsertRecord(entry.Seq, prev, hash, body, e.Kind, time[..timeLength], e.Agent, e.SessionId, e.Decision);
        _spans.Add(entry.Seq, e.Agent, e.SessionId, e.Time);
        if (entry.Seq / AuditSchema.SpanMergeEvery != _indexed / AuditSchema.SpanMergeEvery)
        {
            _statements.MergeSpans();
        }
        _indexed = entry.Seq;
        _indexedHash = entry.Hash;
    }

    private void Open()
    {
        if (_connection is not null)
        {
            return;
        }
        var path = _options.DatabasePath;
        SqliteFiles.CreatePrivateIfMissing(path);
        var connection = new SqliteConnection(SqliteFiles.ConnectionString(path, readOnly: false, _options.BusyTimeout));
        try
        {
            connection.Open();
            SqliteFiles.SetBusyTimeout(connection, _options.BusyTimeout);
            AuditSchema.Ensure(connection);
            // An index: a crash may lose its last transactions, which the next start indexes again from the log.
            SqliteFiles.Exec(connection, "PRAGMA synchronous = OFF;");
            _statements = new AuditWriteStatements(connection);
            Span<byte> hex = stackalloc byte[2 * AuditChainHash.Size];
            var head = _statements.ReadHead(hex);
            if (head > _log.Head)
            {
                throw new IndexMismatchException($"the index holds record {head} but the log ends at {_log.Head}");
            }
            _indexed = head;
            Volatile.Write(ref _committed, head);
            _indexedHash = head == 0 ? null : Encoding.ASCII.GetString(hex);
            _connection = connection;
            _cursor = new SegmentLogCursor(SegmentFiles.Folder(_options.DataDirectory), FirstSegmentHolding(head));
        }
        catch
        {
            _statements?.Dispose();
            _statements = null;
            connection.Dispose();
            throw;
        }
    }

    // Every segment starts a block of the record format, so the cursor can start at the segment that holds the
    // index's last record instead of at the log's first.
    private int FirstSegmentHolding(long seq)
    {
        var segments = SegmentFiles.List(SegmentFiles.Folder(_options.DataDirectory));
        var index = 0;
        for (var i = 0; i < segments.Count; i++)
        {
            if (segments[i].FirstSeq <= Math.Max(1, seq))
            {
                index = i;
            }
        }
        return index;
    }

    private void SetAside()
    {
        var stamp = DateTimeOffset.UtcNow.ToString("yyyyMMddHHmmssfff", CultureInfo.InvariantCulture);
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            var path = _options.DatabasePath + suffix;
            if (File.Exists(path))
            {
                File.Move(path, $"{_options.DatabasePath}.set-aside-{stamp}{suffix}");
            }
        }
        _indexed = 0;
        Volatile.Write(ref _committed, 0);
    }

    private void Close()
    {
        _cursor?.Dispose();
        _cursor = null;
        _statements?.Dispose();
        _statements = null;
        _connection?.Dispose();
        _connection = null;
        _spans.Clear();
    }

    /// <summary>Indexes what the log holds, then stops. Dispose the log after this.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }

    private sealed class IndexMismatchException(string message) : Exception(message);
}
