using System.Text;
using System.Text.Json;

namespace Mandate.Core.Tokens;

/// <summary>
/// Mandate's task token signing keys: one active ES256 key, replaced after <see cref="TaskTokenOptions.KeyRotation"/>;
/// retired keys keep verifying and stay in the JWKS until <c>retiredAt + MaxLifetime</c>, when every token they
/// signed has expired.
/// </summary>
/// <remarks>
/// Keys are persisted (PKCS#8) in the store before they sign anything, so a restart keeps every issued token valid.
/// Lookups read an immutable snapshot swapped atomically on rotation: no lock on the verification path.
/// </remarks>
public sealed class TaskSigningKeys : IDisposable
{
    private readonly ITaskTokenStore _store;
    private readonly TaskTokenOptions _options;
    private readonly SemaphoreSlim _rotation = new(1, 1);
    private volatile KeySnapshot _snapshot;

    private TaskSigningKeys(ITaskTokenStore store, TaskTokenOptions options, KeySnapshot snapshot)
    {
        _store = store;
        _options = options;
        _snapshot = snapshot;
    }

    /// <summary>Loads the stored keys; creates and stores the first key, or rotates, when due at <paramref name="now"/>.</summary>
    public static async Task<TaskSigningKeys> LoadAsync(ITaskTokenStore store, TaskTokenOptions options, IReadOnlyList<TaskSigningKeyRecord> stored, DateTimeOffset now, CancellationToken ct = default)
    {
        var keys = stored.Select(TaskSigningKey.Load).ToArray();
        // More than one unretired key can only come from an interrupted rotation: the newest signs, the others retire now.
        var active = keys.Where(k => k.Record.RetiredAt is null).OrderByDescending(k => k.Record.CreatedAt).FirstOrDefault();
        var all = new List<TaskSigningKey>();
        foreach (var k in keys)
        {
            if (k != active && k.Record.RetiredAt is null)
            {
                var retired = k.Retire(now);
                await store.SaveSigningKeyAsync(retired.Record, ct).ConfigureAwait(false);
                k.Dispose();
                all.Add(retired);
            }
            else
            {
                all.Add(k);
            }
        }
        var result = new TaskSigningKeys(store, options, new KeySnapshot(active, all));
        await result.RotateIfDueAsync(now, ct).ConfigureAwait(false);
        return result;
    }

    /// <summary>The key that signs now (rotation is checked by <see cref="RotateIfDueAsync"/>).</summary>
    public TaskSigningKey Active => _snapshot.Active ?? throw new InvalidOperationException("no active signing key; LoadAsync creates one");

    /// <summary>Every key held (active and retired, including ones past publication).</summary>
    public IReadOnlyList<TaskSigningKey> All => _snapshot.All;

    /// <summary>The key with <paramref name="kid"/> if it may still verify at <paramref name="now"/>: active, or retired less than
    /// MaxLifetime (+ skew) ago.</summary>
    public TaskSigningKey? Find(string kid, DateTimeOffset now)
    {
        var snapshot = _snapshot;
        if (!snapshot.ByKid.TryGetValue(kid, out var key))
        {
            return null;
        }
        return IsPublished(key, now) ? key : null;
    }

    /// <summary>Makes a new active key when the current one is older than the rotation interval; returns the active key.</summary>
    public async ValueTask<TaskSigningKey> RotateIfDueAsync(DateTimeOffset now, CancellationToken ct = default)
    {
        var snapshot = _snapshot;
        if (snapshot.Active is { } current && now - current.Record.CreatedAt < _options.KeyRotation)
        {
            return current;
        }
        await _rotation.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            snapshot = _snapshot;
            if (snapshot.Active is { } again && now - again.Record.CreatedAt < _options.KeyRotation)
            {
                return again;
            }
            var fresh = TaskSigningKey.Create(now);
            // INVARIANT: a key is durable before it signs, and the old one is marked retired only after the new one exists.
            await _store.SaveSigningKeyAsync(fresh.Record, ct).ConfigureAwait(false);
            var all = new List<TaskSigningKey>(snapshot.All.Count + 1);
            foreach (var k in snapshot.All)
            {
                if (k == snapshot.Active)
                {
                    var retired = k.Retire(now);
                    await _store.SaveSigningKeyAsync(retired.Record, ct).ConfigureAwait(false);
                    all.Add(retired);
                }
                else
                {
                    all.Add(k);
                }
            }
            all.Add(fresh);
            _snapshot = new KeySnapshot(fresh, all);
            // The old active instance is left to the collector: a verification may still hold it.
            return fresh;
        }
        finally
        {
            _rotation.Release();
        }
    }

    /// <summary>Keys whose retention is over at <paramref name="now"/> are dropped from memory.</summary>
    public void DropExpired(DateTimeOffset now)
    {
        var snapshot = _snapshot;
        var kept = snapshot.All.Where(k => k == snapshot.Active || IsPublished(k, now)).ToList();
        if (kept.Count != snapshot.All.Count)
        {
            _snapshot = new KeySnapshot(snapshot.Active, kept);
        }
    }

    /// <summary>The JWKS (RFC 7517) of every key that may still verify at <paramref name="now"/>: the active key first.</summary>
    public string JwksJson(DateTimeOffset now)
    {
        var snapshot = _snapshot;
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteStartArray("keys");
            foreach (var key in snapshot.All.OrderBy(k => k == snapshot.Active ? 0 : 1).ThenByDescending(k => k.Record.CreatedAt))
            {
                if (!IsPublished(key, now))
                {
                    continue;
                }
                w.WriteStartObject();
                w.WriteString("kty", "EC");
                w.WriteString("crv", "P-256");
                w.WriteString("x", key.X);
                w.WriteString("y", key.Y);
                w.WriteString("kid", key.KeyId);
                w.WriteString("use", "sig");
                w.WriteString("alg", "ES256");
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var k in _snapshot.All)
        {
            k.Dispose();
        }
        _rotation.Dispose();
    }

    private bool IsPublished(TaskSigningKey key, DateTimeOffset now) =>
        key.Record.RetiredAt is not { } retired || now < retired + _options.MaxLifetime + _options.ClockSkew;

    private sealed class KeySnapshot
    {
        public KeySnapshot(TaskSigningKey? active, IReadOnlyList<TaskSigningKey> all)
        {
            Active = active;
            All = all;
            ByKid = all.ToDictionary(k => k.KeyId, StringComparer.Ordinal);
        }

        public TaskSigningKey? Active { get; }

        public IReadOnlyList<TaskSigningKey> All { get; }

        public Dictionary<string, TaskSigningKey> ByKid { get; }
    }
}
