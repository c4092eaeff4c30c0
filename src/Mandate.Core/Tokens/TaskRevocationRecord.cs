namespace Mandate.Core.Tokens;

/// <summary>
/// A stored revocation. A token or session revocation is permanent for that id; an agent or user revocation covers
/// every token issued at or before <see cref="RevokedAt"/> (a later exchange, decided by policy again, is not affected).
/// </summary>
/// <param name="Target">What was revoked.</param>
/// <param name="Reason">Why (free text, for the audit trail).</param>
/// <param name="RevokedAt">When.</param>
/// <param name="KeepUntil">After this instant every token it could affect has expired, so the record may be pruned
/// (<c>RevokedAt + MaxLifetime</c>).</param>
public sealed record TaskRevocationRecord(RevocationTarget Target, string Reason, DateTimeOffset RevokedAt, DateTimeOffset KeepUntil);
