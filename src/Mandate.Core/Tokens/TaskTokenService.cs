using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace Mandate.Core.Tokens;

/// <summary>
/// Just-in-time task tokens: plans and issues token exchanges, verifies task tokens (signature, record, revocation,
/// chain), revokes with cascade, introspects, and mints downstream tokens.
/// </summary>
/// <remarks>
/// <para>State lives in memory (<see cref="TaskTokenRegistry"/>) and is written through to an
/// <see cref="ITaskTokenStore"/>; <see cref="Verify"/> does no I/O. A token is returned only after its record is
/// durable in the store, so every token in a client's hands survives a restart; a record lost anyway (a store
/// restored from an old backup) makes its token unknown, which fails closed.</para>
/// <para>Revocation updates memory before it writes the store, and returns only when the write is durable.</para>
/// </remarks>
public sealed partial class TaskTokenService : IAsyncDisposable
{
    private readonly ITaskTokenStore _store;
    private readonly TimeProvider _time;
    private readonly TaskTokenRegistry _registry = new();
    private long _uncommittedIssues;

    private TaskTokenService(TaskTokenOptions options, ITaskTokenStore store, TaskSigningKeys keys, TimeProvider time)
    {
        Options = options;
        _store = store;
        Keys = keys;
        _time = time;
    }

    /// <summary>The settings.</summary>
    public TaskTokenOptions Options { get; }

    /// <summary>The signing keys (JWKS, lookup by kid).</summary>
    public TaskSigningKeys Keys { get; }

    /// <summary>The JWKS to publish now: the active key first, then retired keys still within their retention.</summary>
    public string JwksJson() => Keys.JwksJson(_time.GetUtcNow());

    /// <summary>Live token records held in memory (for metrics and tests).</summary>
    public int LiveTokenCount => _registry.TokenCount;

    /// <summary>
    /// Opens the service over <paramref name="store"/>: loads keys (creating the first one), sessions, live token
    /// records and revocations.
    /// </summary>
    /// <exception cref="TaskTokenStoreException">The store cannot be read or a stored key is unusable.</exception>
    public static async Task<TaskTokenService> OpenAsync(ITaskTokenStore store, TaskTokenOptions options, TimeProvider? time = null, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(options.Issuer);
        if (options.DefaultLifetime <= TimeSpan.Zero || options.MaxLifetime <= TimeSpan.Zero || options.MaxDepth < 0 || options.KeyRotation <= TimeSpan.Zero)
        {
            throw new ArgumentException("lifetimes and the rotation interval must be positive, and the depth bound at least 0", nameof(options));
        }
        time ??= TimeProvider.System;
        var now = time.GetUtcNow();
        var snapshot = await store.LoadAsync(now, ct).ConfigureAwait(false);
        var keys = await TaskSigningKeys.LoadAsync(store, options, snapshot.Keys, now, ct).ConfigureAwait(false);
        var service = new TaskTokenService(options, store, keys, time);
        var sessions = snapshot.Sessions.ToDictionary(s => s.Id, StringComparer.Ordinal);
        foreach (var token in snapshot.Tokens)
        {
            service._registry.Add(sessions.GetValueOrDefault(token.SessionId), token);
        }
        foreach (var revocation in snapshot.Revocations)
        {
            service._registry.Apply(revocation);
        }
        return service;
    }

    /// <summary>Drops expired records and stale revocations from memory and from the store; returns store rows removed.</summary>
    public async Task<int> PruneAsync(CancellationToken ct = default)
    {
        var now = _time.GetUtcNow();
        _registry.Prune(now);
        Keys.DropExpired(now);
        return await _store.PruneAsync(now, Options.MaxLifetime + Options.ClockSkew, ct).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        Keys.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>128 random bits, base64url: token and session ids.</summary>
    private static string NewId()
    {
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes);
        return Base64UrlEncoder.Encode(bytes.ToArray());
    }

    /// <summary>Whole milliseconds, so times compare the same before and after a round trip through the store.</summary>
    internal static DateTimeOffset ToMillis(DateTimeOffset t) => DateTimeOffset.FromUnixTimeMilliseconds(t.ToUnixTimeMilliseconds());

    /// <summary>Whole seconds, rounded down: the precision of <c>exp</c>.</summary>
    internal static DateTimeOffset ToSeconds(DateTimeOffset t) => DateTimeOffset.FromUnixTimeSeconds(t.ToUnixTimeSeconds());
}
