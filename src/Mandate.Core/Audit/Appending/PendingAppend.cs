namespace Mandate.Core.Audit.Appending;

/// <summary>
/// One append waiting for the writer. Its state decides who owns it: the writer (taken) or the caller who gave up
/// (abandoned), so a record the caller was told failed is not written afterwards unless the writer had it already.
/// An awaited append completes a task; a posted one (<see cref="IAuditLog.Post"/>) has no waiter and reports a
/// failure through its callback instead.
/// </summary>
public sealed class PendingAppend
{
    private const int Waiting = 0, Taken = 1, Abandoned = 2;
    private readonly Action<AuditEvent, AuditError>? _onFailed;
    private int _state;

    private PendingAppend(AuditEvent auditEvent, long deadline, TaskCompletionSource<AuditReceipt>? completion, Action<AuditEvent, AuditError>? onFailed, AuditDurability durability = AuditDurability.ProcessCrash)
    {
        Event = auditEvent;
        Durability = durability;
        Deadline = deadline;
        Completion = completion;
        _onFailed = onFailed;
    }

    /// <summary>An append whose caller awaits <see cref="Completion"/>.</summary>
    public static PendingAppend Awaited(AuditEvent auditEvent, long deadline, AuditDurability durability = AuditDurability.ProcessCrash) =>
        new(auditEvent, deadline, new TaskCompletionSource<AuditReceipt>(TaskCreationOptions.RunContinuationsAsynchronously), null, durability);

    /// <summary>An append nobody awaits; <paramref name="onFailed"/> hears of a failure.</summary>
    public static PendingAppend Posted(AuditEvent auditEvent, long deadline, Action<AuditEvent, AuditError>? onFailed, AuditDurability durability = AuditDurability.ProcessCrash) =>
        new(auditEvent, deadline, null, onFailed, durability);

    public AuditEvent Event { get; }

    /// <summary>What the append must survive before it completes.</summary>
    public AuditDurability Durability { get; }

    /// <summary><see cref="System.Diagnostics.Stopwatch"/> timestamp after which an awaited append answers <c>audit.timeout</c>.</summary>
    public long Deadline { get; }

    /// <summary>The caller's task; null for a posted append.</summary>
    public TaskCompletionSource<AuditReceipt>? Completion { get; }

    /// <summary>Writer side: claims the append; false when the caller already gave up.</summary>
    public bool TryTake() => Interlocked.CompareExchange(ref _state, Taken, Waiting) == Waiting;

    /// <summary>Caller or watchdog side: gives up; true when the writer had not taken it yet (and now never will).</summary>
    public bool Abandon() => Interlocked.CompareExchange(ref _state, Abandoned, Waiting) == Waiting;

    /// <summary>Delivers the outcome: completes the caller's task, or reports a posted append's failure. Idempotent
    /// for awaited appends (the first answer wins); never throws.</summary>
    public void Complete(AuditReceipt receipt)
    {
        if (Completion is not null)
        {
            Completion.TrySetResult(receipt);
            return;
        }

        if (receipt.Error is { } error && _onFailed is not null)
        {
            try
            {
                _onFailed(Event, error);
            }
            catch (Exception)
            {
                // A failing observer must not take the writer down; the failure itself is already a lost record.
            }
        }
    }
}
