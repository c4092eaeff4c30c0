namespace Mandate.Core.Tokens;

/// <summary>What a store holds at start-up (expired tokens, sessions and stale revocations left out).</summary>
/// <param name="Keys">Signing keys, active and retired.</param>
/// <param name="Sessions">Sessions not yet expired.</param>
/// <param name="Tokens">Token records not yet expired.</param>
/// <param name="Revocations">Revocations still in force.</param>
public sealed record TaskTokenStoreSnapshot(
    IReadOnlyList<TaskSigningKeyRecord> Keys,
    IReadOnlyList<TaskSessionRecord> Sessions,
    IReadOnlyList<TaskTokenRecord> Tokens,
    IReadOnlyList<TaskRevocationRecord> Revocations);
