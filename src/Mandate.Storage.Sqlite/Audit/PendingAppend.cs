using Mandate.Core.Audit;

namespace Mandate.Storage.Sqlite.Audit;

/// <summary>One append waiting for the writer. Its state decides who owns it: the writer (taken) or the caller who
/// gave up (abandoned), so a record the caller was told failed is not written afterwards unless the writer had it already.</summary>
internal sealed class PendingAppend(AuditEvent auditEvent)
{
    private const int Waiting = 0, Taken = 1, Abandoned = 2;
    private int _state;

    public AuditEvent Event { get; } = auditEvent;

    public TaskCompletionSource<AuditReceipt> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Writer side: claims the append; false when the caller already gave up.</summary>
    public bool TryTake() => Interlocked.CompareExchange(ref _state, Taken, Waiting) == Waiting;

    /// <summary>Caller side: gives up; the writer will skip it if it has not taken it yet.</summary>
    public void Abandon() => Interlocked.CompareExchange(ref _state, Abandoned, Waiting);
}
