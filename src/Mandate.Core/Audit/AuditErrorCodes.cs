namespace Mandate.Core.Audit;

/// <summary>Stable error codes of the audit log. The server maps every one of them to 503 and denies.</summary>
public static class AuditErrorCodes
{
    /// <summary>The store could not be opened or written (disk full, read-only, deleted, locked, corrupt).</summary>
    public const string Unavailable = "audit.unavailable";
    /// <summary>The record was not confirmed durable within the append timeout.</summary>
    public const string Timeout = "audit.timeout";
    /// <summary>Too many appends are waiting; the record was not queued.</summary>
    public const string Overloaded = "audit.overloaded";
    /// <summary>The log is shut down.</summary>
    public const string Closed = "audit.closed";
    /// <summary>The event is not acceptable (e.g. empty kind).</summary>
    public const string InvalidEvent = "audit.invalid_event";
    /// <summary>The append was cancelled by the caller before it was confirmed.</summary>
    public const string Cancelled = "audit.cancelled";
}
