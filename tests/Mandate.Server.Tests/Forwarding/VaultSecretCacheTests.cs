using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using Mandate.Core.Vault;
using Mandate.Server.Configuration;
using Mandate.Server.Forwarding;
using Mandate.Storage.Sqlite.Vault;
using Microsoft.Extensions.Logging;

namespace Mandate.Server.Tests.Forwarding;

/// <summary>The in-memory vault copies over a real SQLite vault file, written by a second vault instance as the
/// <c>mandate vault</c> command in another process would.</summary>
public sealed class VaultSecretCacheTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly string _dir = Directory.CreateTempSubdirectory("mandate-vault-cache-").FullName;
    private readonly RecordingLogger _log = new();
    private VaultSecretCache? _cache;

    private SqliteVaultOptions VaultOptions => new() { DataDirectory = _dir, KeyFile = Path.Combine(_dir, "vault.key") };

    private string DatabasePath => Path.Combine(_dir, "vault.db");

    public async Task InitializeAsync() =>
        await File.WriteAllTextAsync(Path.Combine(_dir, "vault.key"), Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));

    public async Task DisposeAsync()
    {
        if (_cache is not null)
        {
            await _cache.DisposeAsync();
        }
        Directory.Delete(_dir, recursive: true);
    }

    private async Task<VaultSecretCache> StartAsync(TimeSpan refresh, TimeSpan? maxStaleness = null, params string[] names)
    {
        _cache = new VaultSecretCache(new SqliteSecretVault(VaultOptions), new VaultSecretCacheOptions
        {
            RefreshInterval = refresh,
            MaxStaleness = maxStaleness ?? VaultSecretCacheOptions.DefaultMaxStaleness,
        }, TimeProvider.System, _log);
        await _cache.LoadAsync(names.ToHashSet(StringComparer.Ordinal), CancellationToken.None);
        return _cache;
    }

    /// <summary>Puts a directory where the database file was: every open of the store fails from now on. Only for tests
    /// without background checks: one running between the move and the directory would make a new, empty file.</summary>
    private void ReplaceStoreWithDirectory()
    {
        foreach (var file in Directory.GetFiles(_dir, "vault.db*"))
        {
            File.Move(file, file + ".away");
        }
        Directory.CreateDirectory(DatabasePath);
    }

    /// <summary>Overwrites the file's header in place (one write, so a concurrent check sees the file before or after):
    /// SQLite refuses it as "not a database" until <see cref="RestoreHeader"/>.</summary>
    private byte[] CorruptHeader()
    {
        using var file = new FileStream(DatabasePath, FileMode.Open, FileAccess.ReadWrite);
        var header = new byte[100];
        file.ReadExactly(header);
        file.Position = 0;
        file.Write(new byte[100].Select(_ => (byte)'x').ToArray());
        return header;
    }

    private void RestoreHeader(byte[] header)
    {
        using var file = new FileStream(DatabasePath, FileMode.Open, FileAccess.ReadWrite);
        file.Write(header);
    }

    private static async Task<SecretLookup> WaitForAsync(VaultSecretCache cache, string name, Func<SecretLookup, bool> done)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var lookup = cache.Get(name);
            if (done(lookup) || clock.Elapsed > Patience)
            {
                return lookup;
            }
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task Get_AfterLoad_ServedWithTheDatabaseGone()
    {
        await new SqliteSecretVault(VaultOptions).SetAsync("legacy-key", "in-memory-value");
        // No background check during the test: whatever is served comes from the load.
        var cache = await StartAsync(TimeSpan.FromHours(1), names: "legacy-key");

        ReplaceStoreWithDirectory();
        var direct = await new SqliteSecretVault(VaultOptions).GetAsync("legacy-key");
        var lookups = Enumerable.Range(0, 100).Select(_ => cache.Get("legacy-key")).ToList();

        Assert.Equal(VaultErrorCodes.Unavailable, direct.Error?.Code);
        Assert.All(lookups, l => Assert.Equal("in-memory-value", l.Value));
        Assert.True(Directory.Exists(DatabasePath));
    }

    [Fact]
    public async Task Get_RotatedByAnotherVaultInstance_ServesTheNewValueWithinTheInterval()
    {
        var cli = new SqliteSecretVault(VaultOptions);
        await cli.SetAsync("legacy-key", "old-value");
        var cache = await StartAsync(TimeSpan.FromMilliseconds(200), names: "legacy-key");
        Assert.Equal("old-value", cache.Get("legacy-key").Value);

        var clock = Stopwatch.StartNew();
        await cli.SetAsync("legacy-key", "new-value");
        var seen = new List<string?>();
        var lookup = await WaitForAsync(cache, "legacy-key", l =>
        {
            seen.Add(l.Value);
            return l.Value == "new-value";
        });

        Assert.Equal("new-value", lookup.Value);
        // One interval plus a check's work; generous for a loaded 2-core machine, far below "per reload" or "never".
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        Assert.All(seen, v => Assert.Contains(v, new[] { "old-value", "new-value" }));
        Assert.Contains(_log.Events, e => e.Id == 6005);
    }

    [Fact]
    public async Task Get_DeletedByAnotherVaultInstance_FailsNotFound()
    {
        var cli = new SqliteSecretVault(VaultOptions);
        await cli.SetAsync("legacy-key", "value");
        var cache = await StartAsync(TimeSpan.FromMilliseconds(200), names: "legacy-key");

        await cli.DeleteAsync("legacy-key");
        var lookup = await WaitForAsync(cache, "legacy-key", l => l.Value is null);

        Assert.Null(lookup.Value);
        Assert.Equal(VaultErrorCodes.NotFound, lookup.Error);
        Assert.Contains(_log.Events, e => e.Id == 6004 && e.Message.Contains("legacy-key", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Get_StoreUnreadable_ServesUntilTheStalenessBoundThenFailsClosedAndRecovers()
    {
        await new SqliteSecretVault(VaultOptions).SetAsync("legacy-key", "value");
        var cache = await StartAsync(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(2), "legacy-key");

        var header = CorruptHeader();
        var during = cache.Get("legacy-key");
        var stale = await WaitForAsync(cache, "legacy-key", l => l.Value is null);
        var staleEvents = await WaitForEventAsync(6002);
        RestoreHeader(header);
        var recovered = await WaitForAsync(cache, "legacy-key", l => l.Value is not null);

        Assert.Equal("value", during.Value);
        Assert.Equal(VaultErrorCodes.Stale, stale.Error);
        Assert.Equal("value", recovered.Value);
        Assert.Single(_log.Events, e => e.Id == 6001);
        Assert.Equal(1, staleEvents);
        Assert.Equal(1, await WaitForEventAsync(6003));
    }

    [Fact]
    public async Task Get_MissingOrUndecryptable_FailsClosedWithTheStoreCode()
    {
        await File.WriteAllTextAsync(Path.Combine(_dir, "other.key"), Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        await new SqliteSecretVault(VaultOptions with { KeyFile = Path.Combine(_dir, "other.key") }).SetAsync("foreign", "x");
        var cache = await StartAsync(TimeSpan.FromHours(1), names: ["absent", "foreign"]);

        Assert.Equal(VaultErrorCodes.NotFound, cache.Get("absent").Error);
        Assert.Equal(VaultErrorCodes.WrongKey, cache.Get("foreign").Error);
        Assert.Equal(VaultErrorCodes.NotLoaded, cache.Get("never-named").Error);
    }

    [Fact]
    public async Task LoadAsync_NoNames_DoesNotOpenTheStore()
    {
        var cache = await StartAsync(TimeSpan.FromMilliseconds(50));
        await Task.Delay(300);

        Assert.False(File.Exists(DatabasePath));
        Assert.Equal(VaultErrorCodes.NotLoaded, cache.Get("anything").Error);
    }

    [Fact]
    public async Task LoadAsync_NewNames_ReadNowOldNamesDroppedAfterAnInterval()
    {
        var cli = new SqliteSecretVault(VaultOptions);
        await cli.SetAsync("old-key", "old");
        await cli.SetAsync("new-key", "new");
        var cache = await StartAsync(TimeSpan.FromMilliseconds(200), names: "old-key");

        await cache.LoadAsync(new HashSet<string>(StringComparer.Ordinal) { "new-key" }, CancellationToken.None);
        var right = cache.Get("new-key");
        // A request that read the previous snapshot just before the reload can still get its secret...
        var stillHeld = cache.Get("old-key");
        // ...until the first check at least one interval later lets it go.
        var dropped = await WaitForAsync(cache, "old-key", l => l.Value is null);

        Assert.Equal("new", right.Value);
        Assert.Equal("old", stillHeld.Value);
        Assert.Equal(VaultErrorCodes.NotLoaded, dropped.Error);
    }

    [Fact]
    public async Task DisposeAsync_HeldSecrets_AreNoLongerServed()
    {
        await new SqliteSecretVault(VaultOptions).SetAsync("legacy-key", "value");
        var cache = await StartAsync(TimeSpan.FromHours(1), names: "legacy-key");

        await cache.DisposeAsync();
        _cache = null;

        Assert.Equal(VaultErrorCodes.NotLoaded, cache.Get("legacy-key").Error);
    }

    [Fact]
    public void NamesIn_Config_ListsVaultedUpstreamAndMcpCredentials()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "policies"));
        var loaded = MandateConfigLoader.Parse("""
            controlPlane:
              adminToken: 0123456789abcdef0123
            identity:
              oidc:
                - issuer: https://issuer.example.com
                  audiences: [mandate]
            policies:
              directory: policies
            upstreams:
              tickets: { url: "http://127.0.0.1:9000" }
              legacy:
                url: "http://127.0.0.1:9001"
                credential: { vault: legacy-key, header: X-Api-Key, format: "{secret}" }
            mcp:
              servers:
                files:
                  url: "http://127.0.0.1:9002/mcp"
                  credential: { vault: mcp-key }
            """, Path.Combine(_dir, "mandate.yaml"));
        Assert.True(loaded.Succeeded, string.Join("\n", loaded.Problems));

        Assert.Equal(["legacy-key", "mcp-key"], VaultSecretCache.NamesIn(loaded.Config!).Order(StringComparer.Ordinal));
    }

    private async Task<int> WaitForEventAsync(int id)
    {
        var clock = Stopwatch.StartNew();
        while (!_log.Events.Any(e => e.Id == id) && clock.Elapsed < Patience)
        {
            await Task.Delay(20);
        }
        return _log.Events.Count(e => e.Id == id);
    }

    /// <summary>Keeps what was logged, with event ids.</summary>
    private sealed class RecordingLogger : ILogger
    {
        private readonly ConcurrentQueue<(int Id, string Message)> _events = new();

        public IReadOnlyList<(int Id, string Message)> Events => _events.ToArray();

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            _events.Enqueue((eventId.Id, formatter(state, exception)));
    }
}
