using Mandate.Core.Audit;
using Mandate.Core.Audit.Segments;
using Microsoft.Extensions.Logging;

namespace Mandate.Storage.Sqlite.Audit;

/// <summary>
/// What a node runs: the segment log (<see cref="SegmentAuditLog"/>) as the authoritative log, with the SQLite index
/// (<see cref="SqliteAuditIndex"/>) filled behind it. Appends go to the log; queries read the index once it holds
/// what the log had when the query began; the head and verification are the log's.
/// </summary>
public sealed class IndexedAuditLog : IAuditLog, IAsyncDisposable
{
    private static readonly TimeSpan ReadYourWrites = TimeSpan.FromSeconds(2);
    private readonly SqliteAuditReader _reader;

    /// <summary>Opens the log in <c>&lt;data-dir&gt;/audit/</c> and its index in <c>&lt;data-dir&gt;/audit.db</c>.</summary>
    public IndexedAuditLog(SegmentLogOptions options, ILogger? logger = null)
    {
        Log = new SegmentAuditLog(options, logger);
        var sqlite = new SqliteAuditOptions { DataDirectory = options.DataDirectory };
        Index = new SqliteAuditIndex(sqlite, Log, logger);
        _reader = new SqliteAuditReader(sqlite);
    }

    /// <summary>The authoritative log.</summary>
    public SegmentAuditLog Log { get; }

    /// <summary>The index behind it.</summary>
    public SqliteAuditIndex Index { get; }

    /// <inheritdoc />
    public ValueTask<AuditReceipt> AppendAsync(AuditEvent auditEvent, CancellationToken ct = default) => Log.AppendAsync(auditEvent, ct);

    /// <inheritdoc />
    public ValueTask<AuditReceipt> AppendAsync(AuditEvent auditEvent, AuditDurability durability, CancellationToken ct = default) =>
        Log.AppendAsync(auditEvent, durability, ct);

    /// <inheritdoc />
    public AuditError? Post(AuditEvent auditEvent, Action<AuditEvent, AuditError>? onFailed = null) => Log.Post(auditEvent, onFailed);

    /// <inheritdoc />
    public async IAsyncEnumerable<AuditEntry> QueryAsync(AuditQuery query, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        // Read your writes: a record whose append completed before the query is in its answer (within a bound).
        await Index.CaughtUpAsync(ReadYourWrites).ConfigureAwait(false);
        await foreach (var entry in _reader.QueryAsync(query, ct).ConfigureAwait(false))
        {
            yield return entry;
        }
    }

    /// <inheritdoc />
    public ValueTask<long> GetHeadAsync(CancellationToken ct = default) => Log.GetHeadAsync(ct);

    /// <inheritdoc />
    public ValueTask<AuditVerification> VerifyAsync(CancellationToken ct = default) => Log.VerifyAsync(ct);

    /// <summary>Closes the log (writing what is queued and a final checkpoint), then lets the index catch up and stop.</summary>
    public async ValueTask DisposeAsync()
    {
        await Log.DisposeAsync().ConfigureAwait(false);
        await Index.DisposeAsync().ConfigureAwait(false);
    }
}
