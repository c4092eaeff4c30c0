namespace Mandate.Core.Audit;

/// <summary>
/// Something the audit log can store: it writes its own fields into the log's <see cref="AuditRecordWriter"/>, so a
/// record is encoded straight into the log's buffer, without an intermediate object or text form. Called on whichever
/// thread is writing the log, after the caller handed the record over: implementations must be immutable.
/// </summary>
public interface IAuditRecord
{
    /// <summary>Writes the record's fields in ascending <see cref="AuditField"/> order (the kind first).</summary>
    void WriteTo(AuditRecordWriter writer);
}
