namespace Mandate.Core.Audit;

/// <summary>What the index and the verifier need of a record, read without building the whole event.</summary>
/// <param name="Seq">The record's position in the chain.</param>
/// <param name="Kind">Its kind.</param>
/// <param name="Time">Its time.</param>
/// <param name="Agent">Its agent, if any.</param>
/// <param name="SessionId">Its session, if any.</param>
/// <param name="Decision">Its decision, if any.</param>
/// <param name="Flags">Its flags (block start, power-loss class); none for a format 1 (JSON) record.</param>
public readonly record struct AuditRecordSummary(
    long Seq, string Kind, DateTimeOffset Time, string? Agent, string? SessionId, string? Decision, AuditRecordFlags Flags);
