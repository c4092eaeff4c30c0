using System.Collections.Concurrent;

namespace Mandate.Core.Tokens;

/// <summary>
/// A task token store that lives only in this process: for tests and for nodes that accept losing every task token on
/// restart. Writes are "durable" as soon as they return, for the life of the process.
/// </summary>
public sealed class InMemoryTaskTokenStore : ITaskTokenStore
{
    private readonly ConcurrentDictionary<string, TaskSigningKeyRecord> _keys = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskSessionRecord> _sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskTokenRecord> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<TaskRevocationRecord> _revocations = new();

    /// <inheritdoc />
    public Task<TaskTokenStoreSnapshot> LoadAsync(DateTimeOffset now, CancellationToken ct = default) =>
        Task.FromResult(new TaskTokenStoreSnapshot(
            _keys.Values.ToArray(),
            _sessions.Values.Where(s => s.ExpiresAt > now).ToArray(),
            _tokens.Values.Where(t => t.ExpiresAt > now).ToArray(),
            _revocations.Where(r => r.KeepUntil > now).ToArray()));

    /// <inheritdoc />
    public Task SaveSigningKeyAsync(TaskSigningKeyRecord key, CancellationToken ct = default)
    {
        _keys[key.KeyId] = key;
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task SaveIssuedAsync(TaskSessionRecord session, TaskTokenRecord token, CancellationToken ct = default)
    {
        _sessions[session.Id] = session;
        _tokens[token.Jti] = token;
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task SaveRevocationAsync(TaskRevocationRecord revocation, CancellationToken ct = default)
    {
        _revocations.Enqueue(revocation);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<int> PruneAsync(DateTimeOffset now, TimeSpan maxLifetime, CancellationToken ct = default)
    {
        var removed = 0;
        foreach (var (jti, t) in _tokens)
        {
            if (t.ExpiresAt <= now && _tokens.TryRemove(jti, out _))
            {
                removed++;
            }
        }
        foreach (var (sid, s) in _sessions)
        {
            if (s.ExpiresAt <= now && _sessions.TryRemove(sid, out _))
            {
                removed++;
            }
        }
        foreach (var (kid, k) in _keys)
        {
            if (k.RetiredAt is { } retired && retired + maxLifetime <= now && _keys.TryRemove(kid, out _))
            {
                removed++;
            }
        }
        return Task.FromResult(removed);
    }
}
