using System.Collections.Concurrent;
using System.Diagnostics;


namespace Mandate.Core.Audit.Appending;

/// <summary>
/// The hand-over between appenders (any thread) and the single audit writer, with a watchdog that answers
/// <c>audit.timeout</c> to awaited appends past their deadline, whether still queued or in the writer's batch.
/// </summary>
/// <remarks>
/// One watchdog timer for the whole log instead of one timer per append: a per-append timeout
/// (<c>Task.WaitAsync(timeout)</c>) cost about 8 µs of CPU per record, more than the SQLite insert. Deadlines are
/// taken at enqueue with one fixed timeout, so queue order is deadline order and the watchdog stops at the first
/// append that still has time. Timeouts fire up to one watchdog period late (at most 250 ms).
/// </remarks>
public sealed class AuditAppendQueue : IDisposable
{
    private readonly ConcurrentQueue<PendingAppend> _items = new();
    private readonly SemaphoreSlim _wake = new(0);
    private readonly PendingAppend?[] _inflight;
    private readonly int _maxPending;
    private readonly long _timeoutTicks;
    private readonly AuditReceipt _timedOut;
    private readonly AuditReceipt _closedReceipt = AuditReceipt.Failed(AuditErrorCodes.Closed, "the audit log is shut down");
    private readonly Timer _watchdog;
    private int _pending;
    private int _inflightCount;
    private int _writerIdle;
    private volatile bool _closed;
    private volatile bool _writerExited;

    public AuditAppendQueue(int maxPending, int maxBatch, TimeSpan timeout)
    {
        _maxPending = Math.Max(1, maxPending);
        _inflight = new PendingAppend?[Math.Max(1, maxBatch)];
        _timeoutTicks = (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        _timedOut = AuditReceipt.Failed(AuditErrorCodes.Timeout, $"the audit record was not durable within {timeout.TotalMilliseconds:0} ms");
        var period = TimeSpan.FromTicks(Math.Clamp(timeout.Ticks / 4, TimeSpan.FromMilliseconds(10).Ticks, TimeSpan.FromMilliseconds(250).Ticks));
        _watchdog = new Timer(static s => ((AuditAppendQueue)s!).ExpireOverdue(), this, period, period);
    }

    /// <summary>True once <see cref="Close"/> was called.</summary>
    public bool IsClosed => _closed;

    /// <summary>The deadline of an append enqueued now.</summary>
    public long NewDeadline() => Stopwatch.GetTimestamp() + _timeoutTicks;

    private static readonly AuditReceipt InvalidEvent = AuditReceipt.Failed(AuditErrorCodes.InvalidEvent, "an audit event needs a kind");
    private static readonly AuditReceipt CancelledReceipt = AuditReceipt.Failed(AuditErrorCodes.Cancelled, "the append was cancelled before it was in the log");

    /// <summary>The caller's side of an append, the same for every log: checks the event, queues it for the writer and
    /// returns the writer's answer (or why it was not queued). The common case awaits the writer's task directly: no
    /// state machine, no timer (the watchdog answers <c>audit.timeout</c>).</summary>
    public ValueTask<AuditReceipt> AppendAsync(AuditEvent auditEvent, AuditDurability durability, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(auditEvent.Kind))
        {
            return ValueTask.FromResult(InvalidEvent);
        }
        if (ct.IsCancellationRequested)
        {
            return ValueTask.FromResult(CancelledReceipt);
        }
        var pending = PendingAppend.Awaited(auditEvent, NewDeadline(), durability);
        if (Enqueue(pending) is { } refused)
        {
            return ValueTask.FromResult(refused);
        }
        return ct.CanBeCanceled ? WaitCancellableAsync(pending, ct) : new ValueTask<AuditReceipt>(pending.Completion!.Task);
    }

    /// <summary>Queues a record nobody waits for; why it could not be queued, or null.</summary>
    public AuditError? Post(AuditEvent auditEvent, AuditDurability durability, Action<AuditEvent, AuditError>? onFailed) =>
        string.IsNullOrEmpty(auditEvent.Kind)
            ? InvalidEvent.Error
            : Enqueue(PendingAppend.Posted(auditEvent, NewDeadline(), onFailed, durability))?.Error;

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

    /// <summary>Queues <paramref name="item"/> for the writer; a failure receipt when it cannot be queued.</summary>
    public AuditReceipt? Enqueue(PendingAppend item)
    {
        if (_closed)
        {
            return _closedReceipt;
        }
        if (Interlocked.Increment(ref _pending) > _maxPending)
        {
            Interlocked.Decrement(ref _pending);
            return AuditReceipt.Failed(AuditErrorCodes.Overloaded, $"more than {_maxPending} audit records are waiting");
        }
        _items.Enqueue(item);
        if (Volatile.Read(ref _writerIdle) == 1 && Interlocked.Exchange(ref _writerIdle, 0) == 1)
        {
            _wake.Release();
        }
        if (_writerExited)
        {
            // Closed between the check above and the enqueue, after the writer's last drain: nobody will write it.
            FailRemaining();
        }
        return null;
    }

    /// <summary>Writer side: blocks until there may be work or the queue is closed (true), or until
    /// <paramref name="timeout"/> passes with nothing to do (false).</summary>
    public bool WaitForWork(TimeSpan? timeout)
    {
        if (!_items.IsEmpty || _closed)
        {
            return true;
        }
        Volatile.Write(ref _writerIdle, 1);
        if (!_items.IsEmpty || _closed)
        {
            if (Interlocked.Exchange(ref _writerIdle, 0) == 0)
            {
                _wake.Wait(); // an appender saw us idle and released: consume it so the count stays at zero
            }
            return true;
        }
        if (_wake.Wait(timeout ?? Timeout.InfiniteTimeSpan))
        {
            return true;
        }
        if (Interlocked.Exchange(ref _writerIdle, 0) == 0)
        {
            _wake.Wait();
            return true;
        }
        return false;
    }

    /// <summary>Writer side: moves up to <paramref name="max"/> live appends into <paramref name="batch"/> and
    /// publishes them to the watchdog; abandoned ones are dropped.</summary>
    public void TakeBatch(List<PendingAppend> batch, int max)
    {
        while (batch.Count < max && _items.TryDequeue(out var item))
        {
            Interlocked.Decrement(ref _pending);
            if (item.TryTake())
            {
                _inflight[batch.Count] = item;
                batch.Add(item);
            }
        }
        Volatile.Write(ref _inflightCount, batch.Count);
    }

    /// <summary>Writer side: the published batch is answered.</summary>
    public void BatchDone() => Volatile.Write(ref _inflightCount, 0);

    /// <summary>Stops accepting appends and wakes the writer so it can drain and exit.</summary>
    public void Close()
    {
        _closed = true;
        if (Interlocked.Exchange(ref _writerIdle, 0) == 1)
        {
            _wake.Release();
        }
    }

    /// <summary>Writer side, on exit: whatever is still queued fails as closed, now and for late arrivals.</summary>
    public void WriterExited()
    {
        _writerExited = true;
        FailRemaining();
    }

    // The semaphore is not disposed: an appender racing Close may still release it, and SemaphoreSlim holds no
    // kernel handle unless one is asked for.
    public void Dispose() => _watchdog.Dispose();

    private void FailRemaining()
    {
        while (_items.TryDequeue(out var item))
        {
            Interlocked.Decrement(ref _pending);
            if (item.Abandon())
            {
                item.Complete(_closedReceipt);
            }
        }
    }

    private void ExpireOverdue()
    {
        var now = Stopwatch.GetTimestamp();
        foreach (var item in _items)
        {
            if (item.Deadline > now)
            {
                break;
            }
            // A posted append has no caller to answer; it stays queued and is written when the writer gets to it.
            if (item.Completion is not null && item.Abandon())
            {
                item.Complete(_timedOut);
            }
        }
        var count = Volatile.Read(ref _inflightCount);
        for (var i = 0; i < count; i++)
        {
            // The writer has these: they may still be committed, but their callers stop waiting now (and deny).
            if (_inflight[i] is { Completion: not null } item && item.Deadline <= now)
            {
                item.Complete(_timedOut);
            }
        }
    }
}
