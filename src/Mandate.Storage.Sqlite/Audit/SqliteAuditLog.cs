using System.Diagnostics;
using System.Security.Cryptography;
using Mandate.Core.Audit;
using Mandate.Core.Audit.Appending;
using Mandate.Core.Audit.Segments;
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
public sealed partial class SqliteAuditLog : IAuditLog, IAsyncDisposable
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
    public ValueTask<AuditReceipt> AppendAsync(AuditEvent auditEvent, CancellationToken ct = default) =>
        _queue.AppendAsync(auditEvent, AuditDurability.PowerLoss, ct);

    /// <inheritdoc />
    /// <remarks>Every commit of this log is fsync'd (<c>synchronous=FULL</c>), so both classes get power-loss durability.</remarks>
    public ValueTask<AuditReceipt> AppendAsync(AuditEvent auditEvent, AuditDurability durability, CancellationToken ct = default) =>
        AppendAsync(auditEvent, ct);

    /// <inheritdoc />
    public AuditError? Post(AuditEvent auditEvent, Action<AuditEvent, AuditError>? onFailed = null) =>
        _queue.Post(auditEvent, AuditDurability.PowerLoss, onFailed);

    // Stands for the success of a posted append, which no one reads (Complete reports only failures for those).
    private static readonly AuditReceipt PostedReceipt = AuditReceipt.Success(0, AuditChainHash.Genesis);

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
}
