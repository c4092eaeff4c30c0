namespace Mandate.Core.Audit;

/// <summary>A raw row of the chain as a store holds it, before any trust is placed in it.</summary>
/// <param name="Seq">The row's position (the store's seq column).</param>
/// <param name="PrevHash">Stored hex hash of the predecessor.</param>
/// <param name="Hash">Stored hex hash of this record.</param>
/// <param name="Body">Stored canonical JSON bytes (carry their own <c>seq</c>).</param>
public sealed record StoredAuditRecord(long Seq, string PrevHash, string Hash, byte[] Body);
