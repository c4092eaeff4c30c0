using System.Collections.Frozen;
using Mandate.Core.Vault;
using Mandate.Server.Configuration;
using Microsoft.Extensions.Logging;

namespace Mandate.Server.Forwarding;

/// <summary>
/// Upstream credentials from Mandate's vault (<see cref="ISecretVault"/>), held decrypted in memory so that a forwarded
/// request reads no database and decrypts nothing: one copy per secret the configuration names, of one version.
/// </summary>
/// <remarks>
/// <para>Loaded by <see cref="LoadAsync"/> (start-up, and every reload before the new snapshot serves). Then a
/// background check every <see cref="VaultSecretCacheOptions.RefreshInterval"/> reads the store's change marker
/// (<see cref="ISecretVault.GetChangeMarkerAsync"/>), also moved by <c>mandate vault set</c> in another process, and
/// re-reads the secrets only when it moved; a copy whose version did not change is kept. A rotated secret therefore
/// reaches upstreams within about one interval; a deleted one, or one that no longer decrypts, answers its error code
/// from then on.</para>
/// <para>Fails closed: a name that is missing, does not decrypt or was never loaded answers a failed
/// <see cref="SecretLookup"/>. While the store cannot be read, the copies confirmed by the last complete check keep
/// serving for <see cref="VaultSecretCacheOptions.MaxStaleness"/>, then every lookup answers <c>vault.stale</c>.</para>
/// <para>Plaintext lives only in memory, in arrays the vault allocated pinned, and is zeroed when a newer version, a
/// removal or <see cref="DisposeAsync"/> replaces it. The callers need the value as a <see cref="string"/> (it goes into
/// a header), so each lookup decodes a short-lived string that cannot be wiped; no string copy is kept here.</para>
/// </remarks>
public sealed class VaultSecretCache : IUpstreamSecrets, IAsyncDisposable
{
    private static readonly SecretLookup NotLoaded = SecretLookup.Failed(VaultErrorCodes.NotLoaded);
    private static readonly SecretLookup Stale = SecretLookup.Failed(VaultErrorCodes.Stale);
    private static readonly SecretLookup Replaced = SecretLookup.Failed(VaultErrorCodes.Unavailable);
    // A lookup that finds its copy wiped under it reads the newer one; only a storm of rotations exhausts this.
    private const int MaxRevealAttempts = 4;

    private readonly ISecretVault _vault;
    private readonly VaultSecretCacheOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    // Serializes checks and loads; never taken by a lookup.
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _stop = new();

    // INVARIANT: replaced whole, never changed in place; lookups read it without a lock.
    private volatile FrozenDictionary<string, HeldSecret> _held = FrozenDictionary<string, HeldSecret>.Empty;
    // TimeProvider timestamp of the start of the last check that read everything it needed from the store.
    private long _confirmedAt;

    // Only under _gate.
    private IReadOnlySet<string> _names = new HashSet<string>(StringComparer.Ordinal);
    private long _namesChangedAt;
    private VaultChangeMarker? _seen;
    private string? _store;
    private bool _unreadableLogged;
    private bool _staleLogged;
    private bool _disposed;
    private Task? _loop;

    /// <summary>Creates an empty cache; nothing is read until <see cref="LoadAsync"/>, which also starts the
    /// background check.</summary>
    public VaultSecretCache(ISecretVault vault, VaultSecretCacheOptions options, TimeProvider time, ILogger logger)
    {
        _vault = vault;
        _options = options;
        _time = time;
        _logger = logger;
        _confirmedAt = time.GetTimestamp();
    }

    /// <summary>The vault names <paramref name="config"/> attaches as credentials: <c>upstreams.*.credential.vault</c>
    /// and <c>mcp.servers.*.credential.vault</c> (minted credentials name none).</summary>
    public static IReadOnlySet<string> NamesIn(MandateConfig config)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var credential in config.Upstreams.Values.Select(u => u.Credential).Concat(config.Mcp.Servers.Values.Select(s => s.Credential)))
        {
            if (credential is { Mint: null, VaultName: { Length: > 0 } name })
            {
                names.Add(name);
            }
        }
        return names;
    }

    /// <inheritdoc />
    public ValueTask<SecretLookup> GetAsync(string name, CancellationToken cancellationToken) => new(Get(name));

    /// <summary>The secret from memory, or why there is none. Touches no store, takes no lock.</summary>
    public SecretLookup Get(string name)
    {
        for (var attempt = 0; attempt < MaxRevealAttempts; attempt++)
        {
            if (!_held.TryGetValue(name, out var held))
            {
                return NotLoaded;
            }
            if (held.Failure is { } failure)
            {
                return failure;
            }
            if (_time.GetElapsedTime(Volatile.Read(ref _confirmedAt)) > _options.MaxStaleness)
            {
                return Stale;
            }
            if (held.TryReveal(out var value))
            {
                return SecretLookup.Found(value);
            }
        }
        return Replaced;
    }

    /// <inheritdoc />
    public Task LoadAsync(MandateConfig config, CancellationToken cancellationToken) => LoadAsync(NamesIn(config), cancellationToken);

    /// <summary>Holds exactly <paramref name="names"/> from now on: reads each of them now (a copy whose version did not
    /// change is kept), starts the background check if it is not running, and lets names no longer listed go one
    /// interval later.</summary>
    public async Task LoadAsync(IReadOnlySet<string> names, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_disposed)
            {
                return;
            }
            if (!_names.SetEquals(names))
            {
                _names = names;
                _namesChangedAt = _time.GetTimestamp();
            }
            await CheckAsync(readAll: true, cancellationToken);
            _loop ??= Task.Run(RunAsync, CancellationToken.None);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task RunAsync()
    {
        var stop = _stop.Token;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_options.RefreshInterval, _time, stop);
                await _gate.WaitAsync(stop);
                try
                {
                    await CheckAsync(readAll: false, stop);
                }
                finally
                {
                    _gate.Release();
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The check is a boundary: whatever went wrong, the loop goes on, and staleness still bounds the copies.
                VaultSecretsLog.CheckFailed(_logger, e);
            }
        }
    }

    /// <summary>One check, under <see cref="_gate"/>: reads the marker, then the secrets that may have changed
    /// (<paramref name="readAll"/>: every named one), and publishes a new map.</summary>
    private async Task CheckAsync(bool readAll, CancellationToken ct)
    {
        var started = _time.GetTimestamp();
        var held = _held;
        var next = new Dictionary<string, HeldSecret>(StringComparer.Ordinal);
        if (_names.Count == 0)
        {
            // Nothing to hold: do not even open the store (a deployment without vaulted credentials has none).
            Publish(held, KeepUnnamed(held, next));
            Confirm(started, marker: null);
            return;
        }

        var marker = await _vault.GetChangeMarkerAsync(ct);
        if (marker.Error is { } unreadable)
        {
            foreach (var name in _names)
            {
                next[name] = held.TryGetValue(name, out var current) ? current : HeldSecret.Failed(unreadable.Code);
            }
            Publish(held, KeepUnnamed(held, next));
            ReportUnreadable(unreadable);
            return;
        }

        var sameStore = _store == marker.Value.Store;
        var moved = _seen != marker.Value;
        VaultError? incomplete = null;
        foreach (var name in _names)
        {
            held.TryGetValue(name, out var current);
            if (!readAll && !moved && current is not null && current.Failure?.Error != VaultErrorCodes.Unavailable)
            {
                next[name] = current;
                continue;
            }
            var read = await _vault.GetAsync(name, ct);
            if (read.Value is { } secret)
            {
                if (sameStore && current is { Failure: null } && current.Version == secret.Version)
                {
                    secret.Dispose();
                    next[name] = current;
                }
                else
                {
                    next[name] = HeldSecret.Of(secret);
                    VaultSecretsLog.SecretLoaded(_logger, name, secret.Version);
                }
            }
            else if (read.Error!.Code == VaultErrorCodes.Unavailable)
            {
                // The store, not the secret: keep the last good copy (bounded by MaxStaleness) and read it again next time.
                incomplete = read.Error;
                next[name] = current ?? HeldSecret.Failed(VaultErrorCodes.Unavailable);
            }
            else
            {
                if (current?.Failure?.Error != read.Error.Code)
                {
                    VaultSecretsLog.SecretUnavailable(_logger, name, read.Error.Code);
                }
                next[name] = HeldSecret.Failed(read.Error.Code);
            }
        }

        Publish(held, KeepUnnamed(held, next));
        if (incomplete is not null)
        {
            ReportUnreadable(incomplete);
            return;
        }
        Confirm(started, marker.Value);
    }

    /// <summary>Adds to <paramref name="next"/> the copies no longer named but named less than one interval ago: a request
    /// that read the previous snapshot just before a reload may still ask for them.</summary>
    private Dictionary<string, HeldSecret> KeepUnnamed(FrozenDictionary<string, HeldSecret> held, Dictionary<string, HeldSecret> next)
    {
        if (_time.GetElapsedTime(_namesChangedAt) < _options.RefreshInterval)
        {
            foreach (var (name, copy) in held)
            {
                next.TryAdd(name, copy);
            }
        }
        return next;
    }

    /// <summary>Publishes <paramref name="next"/>, then wipes every copy of <paramref name="held"/> it no longer has.</summary>
    private void Publish(FrozenDictionary<string, HeldSecret> held, Dictionary<string, HeldSecret> next)
    {
        _held = next.ToFrozenDictionary(StringComparer.Ordinal);
        foreach (var (name, copy) in held)
        {
            if (!next.TryGetValue(name, out var kept) || !ReferenceEquals(kept, copy))
            {
                copy.Wipe();
            }
        }
    }

    private void Confirm(long started, VaultChangeMarker? marker)
    {
        if (marker is { } m)
        {
            _seen = m;
            _store = m.Store;
        }
        Volatile.Write(ref _confirmedAt, started);
        if (_unreadableLogged)
        {
            VaultSecretsLog.StoreReadable(_logger);
        }
        _unreadableLogged = false;
        _staleLogged = false;
    }

    private void ReportUnreadable(VaultError error)
    {
        var age = _time.GetElapsedTime(Volatile.Read(ref _confirmedAt));
        if (!_unreadableLogged)
        {
            _unreadableLogged = true;
            VaultSecretsLog.StoreUnreadable(_logger, (long)age.TotalSeconds, (long)_options.MaxStaleness.TotalSeconds, $"{error.Code}: {error.Message}");
        }
        if (age > _options.MaxStaleness && !_staleLogged)
        {
            _staleLogged = true;
            VaultSecretsLog.StaleFailingClosed(_logger, (long)_options.MaxStaleness.TotalSeconds);
        }
    }

    /// <summary>Stops the background check and wipes every copy; lookups answer <c>vault.not_loaded</c> from then on.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        Task? loop;
        await _gate.WaitAsync();
        try
        {
            _disposed = true;
            loop = _loop;
            Publish(_held, new Dictionary<string, HeldSecret>());
        }
        finally
        {
            _gate.Release();
        }
        if (loop is not null)
        {
            await loop;
        }
        _stop.Dispose();
    }
}
