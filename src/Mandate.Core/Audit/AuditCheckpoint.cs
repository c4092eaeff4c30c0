namespace Mandate.Core.Audit;

/// <summary>A signed statement "the chain had <paramref name="Hash"/> at <paramref name="Seq"/> at <paramref name="Time"/>".</summary>
/// <param name="Seq">Seq of the last record covered.</param>
/// <param name="Hash">Hex hash of that record.</param>
/// <param name="Time">When the checkpoint was made (UTC, record time format).</param>
/// <param name="KeyId">Id of the signing key (<see cref="AuditCheckpointSigner.KeyIdOf"/>).</param>
/// <param name="Signature">ES256 signature (IEEE P1363 r||s), base64url, over <see cref="AuditCheckpointSigner.Payload"/>.</param>
public sealed record AuditCheckpoint(long Seq, string Hash, string Time, string KeyId, string Signature);
