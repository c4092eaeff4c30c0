using System.Security.Cryptography;
using Mandate.Core.Audit.Appending;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Mandate.Core.Audit.Segments;

/// <summary>
/// The authoritative audit log: append-only segment files of length-prefixed binary records, each carrying the hash of
/// the one before (<see cref="SegmentFrame"/>), with signed checkpoints beside them. One writer thread commits whatever
/// is waiting with one <c>write</c> (group commit) and, when a record in it asks for <see cref="AuditDurability.PowerLoss"/>,
/// one <c>fsync</c>; each caller waits only for the flush that covers its record. Store failures come back as
/// <see cref="AuditReceipt.Failed"/> (<c>audit.unavailable</c>), never as exceptions, and the next batch tries again, so
/// the log recovers by itself once the disk can be written. Reads (<see cref="QueryAsync"/>) scan the log; a database
/// index (SQLite) is filled behind it for search.
/// </summary>
public sealed partial class SegmentAuditLog : IAuditLog, IAsyncDisposable
{
    private readonly SegmentLogOptions _options;
    private readonly AuditAppendQueue _queue;
    private readonly ILogger _logger;
    private readonly TaskCompletionSource _writerDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _head;
    private volatile bool _failing;
    private Action? _written;

    /// <summary>Starts the log's writer; it opens (and, after a crash, repairs) the log on its own thread.</summary>
    public SegmentAuditLog(SegmentLogOptions options, ILogger? logger = null)
    {
        _options = options;
        _logger = logger ?? NullLogger.Instance;
        _queue = new AuditAppendQueue(options.MaxPending, options.MaxBatch, options.AppendTimeout);
        // A dedicated thread, not the thread pool: it blocks in write and fsync by design, and durability must not
        // wait behind a starved pool under load.
        new Thread(WriteLoop) { IsBackground = true, Name = "mandate-audit-segments" }.Start();
    }

    /// <summary>The options the log runs with.</summary>
    public SegmentLogOptions Options => _options;

    /// <summary>The class of an append that names none.</summary>
    public AuditDurability DefaultDurability => _options.DefaultDurability;

    /// <summary>The last seq written to the log file (what an index may read up to).</summary>
    public long Head => Volatile.Read(ref _head);

    /// <summary>True after a failed write, until a write succeeds again.</summary>
    public bool IsFailing => _failing;

    /// <summary>Completes once the writer has opened the log (or failed to: appends then report why).</summary>
    public Task Opened => _opened.Task;

    /// <summary>Calls <paramref name="callback"/> on the writer's thread after every batch written (keep it short:
    /// an index uses it to wake up).</summary>
    public void OnWritten(Action callback) => _written = callback;

    /// <inheritdoc />
    public ValueTask<AuditReceipt> AppendAsync(AuditEvent auditEvent, CancellationToken ct = default) =>
        AppendAsync(auditEvent, _options.DefaultDurability, ct);

    /// <inheritdoc />
    public ValueTask<AuditReceipt> AppendAsync(AuditEvent auditEvent, AuditDurability durability, CancellationToken ct = default) =>
        _queue.AppendAsync(auditEvent, AuditDurabilityNames.Max(durability, _options.DefaultDurability), ct);

    /// <inheritdoc />
    public AuditError? Post(AuditEvent auditEvent, Action<AuditEvent, AuditError>? onFailed = null) =>
        _queue.Post(auditEvent, _options.DefaultDurability, onFailed);

    /// <inheritdoc />
    public async IAsyncEnumerable<AuditEntry> QueryAsync(AuditQuery query, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        // The head is known once the writer has opened the log.
        await _opened.Task.WaitAsync(ct).ConfigureAwait(false);
        await foreach (var entry in SegmentLogRecords.QueryAsync(_options.Folder, query, Head, ct).ConfigureAwait(false))
        {
            yield return entry;
        }
    }

    /// <inheritdoc />
    public async ValueTask<long> GetHeadAsync(CancellationToken ct = default)
    {
        await _opened.Task.WaitAsync(ct).ConfigureAwait(false);
        return Head;
    }

    /// <inheritdoc />
    public ValueTask<AuditVerification> VerifyAsync(CancellationToken ct = default) =>
        ValueTask.FromResult(SegmentLogVerifier.Verify(_options.DataDirectory, null, ct));

    /// <summary>The checkpoint public key as PEM, creating the key pair if it does not exist yet.</summary>
    public string ExportPublicKeyPem()
    {
        Directory.CreateDirectory(_options.DataDirectory);
        using ECDsa key = AuditSigningKey.LoadOrCreate(_options.DataDirectory);
        return key.ExportSubjectPublicKeyInfoPem();
    }

    /// <summary>Stops accepting appends, writes what is queued, syncs, writes a final checkpoint and closes the file.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Close();
        await _writerDone.Task.ConfigureAwait(false);
        _queue.Dispose();
    }
}
