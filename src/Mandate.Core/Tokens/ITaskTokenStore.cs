namespace Mandate.Core.Tokens;

/// <summary>
/// Where task token state lives: signing keys, sessions, token records and revocations. The service keeps all of it in
/// memory and writes through, so nothing here is on the verification path.
/// </summary>
/// <remarks>
/// Every write method returns only once its data is durable. Store failures are thrown
/// (<see cref="TaskTokenStoreException"/>): the service then refuses to hand out the token it could not record.
/// </remarks>
public interface ITaskTokenStore
{
    /// <summary>Everything still in force at <paramref name="now"/>.</summary>
    Task<TaskTokenStoreSnapshot> LoadAsync(DateTimeOffset now, CancellationToken ct = default);

    /// <summary>Inserts a key or updates its retirement time.</summary>
    Task SaveSigningKeyAsync(TaskSigningKeyRecord key, CancellationToken ct = default);

    /// <summary>Records a new session and the token that opened it.</summary>
    Task SaveIssuedAsync(TaskSessionRecord session, TaskTokenRecord token, CancellationToken ct = default);

    /// <summary>Records a revocation.</summary>
    Task SaveRevocationAsync(TaskRevocationRecord revocation, CancellationToken ct = default);

    /// <summary>Deletes expired tokens and sessions, stale revocations and keys no token can need; returns rows removed.</summary>
    Task<int> PruneAsync(DateTimeOffset now, TimeSpan maxLifetime, CancellationToken ct = default);
}
