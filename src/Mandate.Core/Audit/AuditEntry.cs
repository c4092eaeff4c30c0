namespace Mandate.Core.Audit;

/// <summary>A stored record as read back: its place in the chain and the event it holds.</summary>
/// <param name="Seq">Sequence number, 1..n, contiguous.</param>
/// <param name="PrevHash">Hex hash of the previous record (64 zeros for the first).</param>
/// <param name="Hash">Hex SHA-256 over <c>prev_hash bytes || canonical JSON bytes</c>.</param>
/// <param name="Event">The event.</param>
/// <param name="CanonicalJson">The exact canonical JSON that was hashed (includes <c>seq</c>).</param>
public sealed record AuditEntry(long Seq, string PrevHash, string Hash, AuditEvent Event, string CanonicalJson);
